"""qcode: grounded-theory qualitative coding with exact offsets.

```python
import qcode
project = qcode.open_project("path/to/project")
```
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from qcode.services import Project, init_project, open_project

# The version, in this one place (pyproject.toml reads it); CHANGELOG.md has a dated section for
# each release, and "Unreleased" for what comes next (a .devN version).
__version__ = "0.1.0.dev0"
__all__ = ["Project", "__version__", "init_project", "open_project"]


def __getattr__(name: str) -> Any:
    """``qcode.Project`` and friends load the service layer (and the database engine) on first
    use, so ``qcode --help`` and ``qcode --version`` start without them."""
    if name in ("Project", "init_project", "open_project"):
        from qcode import services

        return getattr(services, name)
    raise AttributeError(f"module 'qcode' has no attribute {name!r}")
