"""The proofsheet command-line client."""
