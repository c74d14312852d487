{
    'name': 'MedDev Field Service',
    'summary': 'Service tickets with SLA, dispatch, spare parts, warranty and '
               'installed base for medical devices',
    'version': '11.0.1.0.0',
    'category': 'Services',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    'depends': ['meddev_traceability', 'meddev_credit', 'resource'],
    'data': [
        'security/meddev_service_security.xml',
        'security/ir.model.access.csv',
        'views/meddev_service_stage_views.xml',
        'views/menus.xml',
    ],
    'application': True,
    'installable': True,
}
