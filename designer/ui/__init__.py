"""The Textual front end. Imported only by `designer edit` (and a bare `designer`)."""


def run(path: str | None) -> None:
    from .app import DesignerApp

    DesignerApp.from_path(path).run()
