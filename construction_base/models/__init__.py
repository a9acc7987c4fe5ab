# res_company first: its column must exist before project.project's default
# (the company's retention %) fills existing projects at install.
from . import res_company
from . import res_config_settings
from . import construction_unique_code_mixin
from . import construction_job_mixin
from . import construction_cost_code
from . import construction_phase
from . import construction_external_ref
from . import project_project
from . import account_analytic_line
