from proofsheet_cli.main import main

raise SystemExit(main())
