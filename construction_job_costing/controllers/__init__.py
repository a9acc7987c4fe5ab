from . import api, wip
