"""qcode: grounded-theory qualitative coding with exact offsets.

```python
import qcode
project = qcode.open_project("path/to/project")
```
"""

from qcode.services import Project, init_project, open_project

# The version, in this one place (pyproject.toml reads it); CHANGELOG.md has a dated section for
# each release, and "Unreleased" for what comes next (a .devN version).
__version__ = "0.1.0.dev0"
__all__ = ["Project", "__version__", "init_project", "open_project"]
