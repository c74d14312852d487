"""A small XML-RPC client of one Odoo database, for the scripts that drive
a served database from outside: the browser flows' set-up and checks, the
guide's sample builder and the workers-mode check (which load this file by
its path: it imports nothing of the project)."""
import xmlrpc.client


class OdooRpc(object):
    """``rpc(model, method, *args, **kwargs)`` as ``login``; every call in
    ``lang`` when one is given."""

    def __init__(self, url, db, login, password, lang=None):
        common = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common')
        self.db, self.password, self.lang = db, password, lang
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise RuntimeError('cannot log in as %s on %s' % (login, db))
        self.models = xmlrpc.client.ServerProxy(
            url + '/xmlrpc/2/object', allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        if self.lang:
            kwargs.setdefault('context', {}).setdefault('lang', self.lang)
        return self.models.execute_kw(self.db, self.uid, self.password,
                                      model, method, list(args), kwargs)

    def ref(self, xmlid):
        """Database id of an XML id ('module.name')."""
        module, name = xmlid.split('.')
        rows = self('ir.model.data', 'search_read',
                    [('module', '=', module), ('name', '=', name)],
                    fields=['res_id'])
        if not rows:
            raise LookupError('no record with XML id %s' % xmlid)
        return rows[0]['res_id']

    def read(self, model, res_id, fields):
        """The values of ``fields`` of one record, as a dict."""
        return self(model, 'read', [res_id], fields)[0]
