import sys

if len(sys.argv) > 1 and sys.argv[1] == "records":
    from .records.cli import main as records_main

    sys.exit(records_main(sys.argv[2:]))

from .render import main  # noqa: E402

sys.exit(main())
