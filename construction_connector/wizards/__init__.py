from . import construction_sync_endpoint_secret
