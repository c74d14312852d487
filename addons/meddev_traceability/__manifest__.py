{
    'name': 'MedDev Traceability',
    'summary': 'UDI, lot and serial genealogy, trace up and down, recalls',
    'version': '11.0.1.0.0',
    'category': 'Warehouse',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    'depends': ['stock', 'mrp', 'sale_stock', 'product_expiry'],
    'data': [
        'security/meddev_traceability_security.xml',
        'security/ir.model.access.csv',
        'views/meddev_lot_link_views.xml',
        'views/menus.xml',
    ],
    'application': True,
    'installable': True,
}
