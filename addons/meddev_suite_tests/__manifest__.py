{
    'name': 'MedDev Suite Tests',
    'summary': 'Cross-module tests of the MedDev suite (access matrix, '
               'companies kept apart); not for production databases',
    'version': '11.0.1.0.0',
    'category': 'Hidden',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    'depends': [
        'meddev_qualification', 'meddev_credit', 'meddev_traceability',
        'meddev_service', 'meddev_quality_capa',
    ],
    'data': [],
    'installable': True,
    'auto_install': False,
}
