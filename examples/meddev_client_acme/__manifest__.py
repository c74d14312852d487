# A client's configuration as an addon: everything an implementer set up
# for the (fictional) client ACME Medical is data here, in version control,
# reviewed like code and applied again on every upgrade with
# `odoo-bin -u meddev_client_acme`. It is an example: not on the suite's
# addons path, never installed by default.
{
    'name': 'MedDev Client Configuration: ACME Medical (example)',
    'summary': 'Example of a per-client configuration module for the MedDev '
               'suite',
    'version': '11.0.1.0.0',
    'category': 'Hidden',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    # The suite's apps whose records and options this client adjusts: the
    # configuration is loaded after them, so it overrides their defaults.
    'depends': [
        'meddev_qualification',
        'meddev_credit',
        'meddev_service',
        'meddev_quality_capa',
    ],
    'data': [
        'data/acme_qualification.xml',
        'data/acme_credit.xml',
        'data/acme_service.xml',
        'data/acme_quality.xml',
    ],
    'installable': True,
    # Never pulled in by another module: a client's database installs it
    # on purpose.
    'auto_install': False,
}
