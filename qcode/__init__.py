"""qcode: grounded-theory qualitative coding with exact offsets.

```python
import qcode
project = qcode.open_project("path/to/project")
```
"""

from qcode.services import Project, init_project, open_project

__version__ = "0.1.0"
__all__ = ["Project", "__version__", "init_project", "open_project"]
