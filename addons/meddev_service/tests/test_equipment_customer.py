from odoo.exceptions import ValidationError

from .common import MeddevServiceTicketCase


class TestEquipmentCustomer(MeddevServiceTicketCase):
    """A ticket's equipment is its customer's and its serial's (N-4):
    coverage is read from the equipment, so another customer's
    in-warranty device must not cover the work."""

    @classmethod
    def setUpClass(cls):
        super(TestEquipmentCustomer, cls).setUpClass()
        cls.clinic = cls.env['res.partner'].create(
            {'name': 'Other Clinic', 'is_company': True, 'customer': True})
        cls.clinic_serial = cls._create_lot(cls.monitor, 'X1-0099')
        cls.clinic_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls.clinic_serial.id, 'partner_id': cls.clinic.id})

    def test_create_with_another_customers_equipment_is_refused(self):
        with self.assertRaises(ValidationError):
            self._ticket(user=self.user,
                         equipment_id=self.clinic_equipment.id,
                         partner_id=self.hospital.id)

    def test_create_with_another_serial_is_refused(self):
        with self.assertRaises(ValidationError):
            self._ticket(user=self.user, lot_id=self.clinic_serial.id)

    def test_write_another_customers_equipment_is_refused(self):
        ticket = self._ticket(user=self.user)
        with self.assertRaises(ValidationError):
            ticket.sudo(self.user).write(
                {'equipment_id': self.clinic_equipment.id})

    def test_change_customer_after_equipment(self):
        ticket = self._ticket(user=self.user)
        self.assertEqual(ticket.equipment_id, self.equipment)
        with self.assertRaises(ValidationError):
            ticket.sudo(self.user).write({'partner_id': self.clinic.id})
        # The form drops the previous customer's equipment on the change.
        new = self.env['meddev.service.ticket'].sudo(self.user).new(
            {'equipment_id': self.equipment.id,
             'lot_id': self.serial.id, 'partner_id': self.hospital.id})
        new.partner_id = self.clinic
        new._onchange_partner_id()
        self.assertFalse(new.equipment_id)
        self.assertFalse(new.lot_id)

    def test_own_equipment_passes(self):
        ticket = self._ticket(user=self.user)
        self.assertEqual(ticket.partner_id, self.hospital)
        self.assertEqual(ticket.lot_id, self.serial)
