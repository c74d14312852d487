{
    'name': 'MedDev Quality and CAPA',
    'summary': 'Complaints, adverse-event reporting clocks, CAPA and '
               'effectiveness checks for medical devices',
    'version': '11.0.1.0.0',
    'category': 'Manufacturing',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    'depends': ['meddev_service', 'meddev_traceability'],
    'data': [
        'security/meddev_quality_capa_security.xml',
        'security/ir.model.access.csv',
        'views/meddev_reporting_rule_views.xml',
        'views/menus.xml',
    ],
    'application': True,
    'installable': True,
}
