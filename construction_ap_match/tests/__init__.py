from . import test_domain_engine
from . import test_domain_normalize
from . import test_domain_rules
from . import test_domain_tolerance
from . import test_match
from . import test_tour
from . import test_domain_compliance
from . import test_compliance
