"""The operations a researcher performs: the one API that the CLI, the TUI and Python use."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from qcode.services.project import Project, init_project, open_project

__all__ = ["Project", "init_project", "open_project"]


def __getattr__(name: str) -> Any:
    """``Project`` and friends load the project module (and SQLAlchemy) on first use, so that a
    light module of this package (``scope``, say) can be imported without them."""
    if name in __all__:
        from qcode.services import project

        return getattr(project, name)
    raise AttributeError(f"module 'qcode.services' has no attribute {name!r}")
