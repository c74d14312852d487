{
    'name': 'MedDev Base',
    'summary': 'Electronic signatures, never-deleted regulated records and '
               'go-live import tools shared by the MedDev addons',
    'version': '11.0.1.2.0',
    'category': 'Hidden/Tools',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    'depends': ['mail'],
    'data': [
        'security/meddev_base_security.xml',
        'security/ir.model.access.csv',
        'views/meddev_esignature_views.xml',
        'wizards/meddev_esignature_wizard_views.xml',
        'views/meddev_planner_templates.xml',
    ],
    'external_dependencies': {
        'python': ['xlrd', 'xlsxwriter'],
    },
    'installable': True,
    'uninstall_hook': 'uninstall_hook',
}
