{
    'name': 'MedDev Qualification',
    'summary': 'Customer licence review and device categories for medical devices',
    'version': '11.0.1.0.0',
    'category': 'Sales',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    'depends': ['sale_stock', 'mail'],
    'data': [
        'security/meddev_qualification_security.xml',
        'security/ir.model.access.csv',
        'views/meddev_device_category_views.xml',
        'views/menus.xml',
    ],
    'application': True,
    'installable': True,
}
