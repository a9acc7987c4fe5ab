from . import test_domain_commitment
from . import test_flow
from . import test_security
from . import test_inbound
from . import test_tour
