# What `import voluptuous` is at run time on the Home Assistant that mypy
# checks against: from 2026.9 Home Assistant installs probatio under that
# name (probatio.compat.install_as_voluptuous) and types its own signatures
# with probatio's classes. probatio's shim re-exports at run time only, so
# mypy is pointed at probatio itself.
from probatio import *  # noqa: F403
