"""The studio's brand on the client's pages: what every page of a link adds to its
context (`galleries.brand.brand_for`), read once per request."""

from galleries.brand import brand_for


def client_context(owner) -> dict:
    """`brand` (galleries.brand.BrandView) and `studio` (its name) for a template."""
    brand = brand_for(owner)
    return {"brand": brand, "studio": brand.studio_name}
