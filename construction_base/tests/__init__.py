from . import test_domain_coding
from . import test_cost_code
from . import test_job
from . import test_phase
from . import test_analytic_line
from . import test_external_ref
from . import test_security
from . import test_http
