"""The operations a researcher performs: the one API that the CLI, the TUI and Python use."""

from qcode.services.project import Project, init_project, open_project

__all__ = ["Project", "init_project", "open_project"]
