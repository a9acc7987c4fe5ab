from . import construction_sync_source
from . import construction_sync_inbound
from . import construction_sync_endpoint
from . import construction_sync_outbound
