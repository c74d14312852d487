{
    'name': 'MedDev Credit Control',
    'summary': 'Credit exposure, limits, ratings and holds for medical device '
               'customers',
    'version': '11.0.1.4.0',
    'category': 'Sales',
    'author': 'MedDev Suite',
    'website': 'https://example.com/meddev',
    'license': 'LGPL-3',
    'depends': [
        'meddev_base', 'base_setup', 'sale_management', 'sale_stock',
        'account', 'mail', 'queue_job', 'base_tier_validation', 'web_planner',
    ],
    'external_dependencies': {
        'python': ['xlrd', 'xlsxwriter'],
    },
    'data': [
        'security/meddev_credit_security.xml',
        'security/ir.model.access.csv',
        'data/meddev_credit_data.xml',
        'views/meddev_credit_rating_history_views.xml',
        'views/meddev_credit_override_views.xml',
        'views/meddev_credit_policy_views.xml',
        'views/meddev_credit_partner_state_views.xml',
        'views/meddev_credit_hold_wizard_views.xml',
        'views/res_partner_views.xml',
        'views/sale_order_views.xml',
        'views/res_config_settings_views.xml',
        'views/meddev_credit_limit_import_views.xml',
        'report/meddev_credit_exposure_report_views.xml',
        'views/menus.xml',
        'data/web_planner_data.xml',
    ],
    'demo': [
        'demo/meddev_credit_demo.xml',
    ],
    'application': True,
    'installable': True,
}
