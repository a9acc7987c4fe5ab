"""CSI MasterFormat (2016+) divisions, shipped as the default cost code tree.

Each entry is (code, name, cost_type). Divisions are the top level of the
cost code hierarchy; companies add their own sections (``03-300``) below.
"""

DIVISIONS = (
    ("00", "Procurement and Contracting Requirements", "other"),
    ("01", "General Requirements", "other"),
    ("02", "Existing Conditions", "subcontract"),
    ("03", "Concrete", "material"),
    ("04", "Masonry", "material"),
    ("05", "Metals", "material"),
    ("06", "Wood, Plastics, and Composites", "material"),
    ("07", "Thermal and Moisture Protection", "material"),
    ("08", "Openings", "material"),
    ("09", "Finishes", "material"),
    ("10", "Specialties", "material"),
    ("11", "Equipment", "equipment"),
    ("12", "Furnishings", "material"),
    ("13", "Special Construction", "subcontract"),
    ("14", "Conveying Equipment", "subcontract"),
    ("21", "Fire Suppression", "subcontract"),
    ("22", "Plumbing", "subcontract"),
    ("23", "Heating, Ventilating, and Air Conditioning (HVAC)", "subcontract"),
    ("25", "Integrated Automation", "subcontract"),
    ("26", "Electrical", "subcontract"),
    ("27", "Communications", "subcontract"),
    ("28", "Electronic Safety and Security", "subcontract"),
    ("31", "Earthwork", "subcontract"),
    ("32", "Exterior Improvements", "subcontract"),
    ("33", "Utilities", "subcontract"),
    ("34", "Transportation", "subcontract"),
    ("35", "Waterway and Marine Construction", "subcontract"),
    ("40", "Process Interconnections", "subcontract"),
    ("41", "Material Processing and Handling Equipment", "equipment"),
    ("42", "Process Heating, Cooling, and Drying Equipment", "equipment"),
    ("43", "Process Gas and Liquid Handling Equipment", "equipment"),
    ("44", "Pollution and Waste Control Equipment", "equipment"),
    ("45", "Industry-Specific Manufacturing Equipment", "equipment"),
    ("46", "Water and Wastewater Equipment", "equipment"),
    ("48", "Electrical Power Generation", "subcontract"),
)


def missing_divisions(existing_codes):
    """Return the divisions whose code is not among ``existing_codes``.

    >>> [d[0] for d in missing_divisions({"00", "01"})][:2]
    ['02', '03']
    """
    existing = set(existing_codes)
    return [division for division in DIVISIONS if division[0] not in existing]
