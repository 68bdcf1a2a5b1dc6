from spm_core.testing.suite import *  # noqa: F403
