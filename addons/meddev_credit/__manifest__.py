{
    'name': 'MedDev Credit Control',
    'summary': 'Credit exposure, limits, ratings and holds for medical device '
               'customers',
    'version': '11.0.1.0.0',
    'category': 'Sales',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    'depends': ['sale_management', 'account'],
    'data': [
        'security/meddev_credit_security.xml',
        'security/ir.model.access.csv',
        'views/meddev_credit_rating_history_views.xml',
        'views/menus.xml',
    ],
    'application': True,
    'installable': True,
}
