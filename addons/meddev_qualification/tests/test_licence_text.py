import datetime
import unittest

from .. import licence_text, uscc

from hypothesis import given, settings, strategies as st

D = datetime.date

# The texts below are written the way tesseract 5 (chi_sim+eng) returns
# licence scans: spaces between CJK characters, ' : ' for '：', two columns
# run together on one line, lists wrapped over lines.

TRADING_LICENCE = """\
医 疗 器 械 经 营 许 可 证
许可证编号 : 京食药监械经营许20150035号
企 业 名 称 : 北京康达医疗器械有限公司
统一社会信用代码 : 91110105MA01ABCD39
法定代表人 : 张 伟          企业负责人 : 李 娜
质量负责人 : 王 芳
住 所 : 北京市朝阳区建国路 88 号 3 层 301 室
经 营 场 所 : 北京市朝阳区建国路 88 号 3 层 301 室
库 房 地 址 : 北京市大兴区金星西路 6 号 2 号库
经 营 方 式 : 批发
经 营 范 围 : 2002年分类目录 : Ⅲ类 : 6815 注射穿刺器械, 6821 医用电子仪器设备,
6822 医用光学器具、仪器及内窥镜设备, 6866-1 医用高分子材料及制品 ;
2017年分类目录 : Ⅲ类 : 01 有源手术器械, 02 无源手术器械, 06 医用成像器械,
07 医用诊察和监护器械
有 效 期 限 : 2020年06月18日 至 2025年06月17日
发 证 部 门 : 北京市药品监督管理局
发 证 日 期 : 2020年06月18日
"""

BUSINESS_LICENCE = """\
营 业 执 照
(副 本)
统一社会信用代码 91350100M000100Y43          证照编号 : 35010000201903150123
名 称 福州康宁医疗器械有限公司     注 册 资 本 壹仟万元整
类 型 有限责任公司(自然人投资或控股)     成 立 日 期 2015年03月10日
法 定 代 表 人 陈 明     营 业 期 限 2015年03月10日 至 长期
经 营 范 围 一般项目 : 第一类医疗器械销售 ; 第二类医疗器械销售 ; 技术服务、
技术开发、技术咨询。许可项目 : 第三类医疗器械经营。(依法须经批准的项目,
经相关部门批准后方可开展经营活动, 具体经营项目以相关部门批准文件或许可证件为准)
住 所 福州市鼓楼区五四路 89 号置地广场 12 层
登 记 机 关
2019 年 03 月 15 日
市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。
国家企业信用信息公示系统网址 : http://www.gsxt.gov.cn
"""

CLASS2_FILING = """\
第 二 类 医 疗 器 械 经 营 备 案 凭 证
备案编号 : 沪浦食药监械经营备20190001号
企业名称 : 上海瑞康医疗科技有限公司
统一社会信用代码 : 91310115MA1H7Q3P5R
法定代表人 : 赵 磊                 企业负责人 : 赵 磊
住 所 : 上海市浦东新区张江路 665 号 3 幢 201 室
经营场所 : 上海市浦东新区张江路 665 号 3 幢 201 室
经营方式 : 批零兼营
库房地址 : 无
经营范围 : 2002年分类目录 : 6820 普通诊察器械 , 6826 物理治疗及康复设备 ,
6864 医用卫生材料及敷料 ; 2017年分类目录 : 07 , 09 , 14 , 19
备案部门 : 上海市浦东新区市场监督管理局
备案日期 : 2019 年 1 月 8 日
"""

INSTITUTION_LICENCE = """\
医 疗 机 构 执 业 许 可 证
(副 本)
机 构 名 称 : 杭州市西湖区康复医院
地 址 : 杭州市西湖区文三路 199 号
法 定 代 表 人 : 周 建 国          主 要 负 责 人 : 周 建 国
统一社会信用代码 : 123301064700001232
所有制形式 : 全民所有制
医疗机构类别 : 康复医院
诊 疗 科 目 : 01.预防保健科 ; 03.内科 ; 04.外科 ; 12.口腔科 ; 21.康复医学科 ;
50.中医科 ; 20 急诊医学科
登 记 号 : PDY00047-733010616A1001
有 效 期 限 : 自 2020年01月01日 至 2024年12月31日
发 证 机 关 : 杭州市西湖区卫生健康局
2020 年 01 月 01 日
"""


def _by_field(text):
    proposals = licence_text.extract_proposals(text)
    by_field = {}
    for proposal in proposals:
        # One proposal per field.
        assert proposal.field not in by_field, proposal.field
        assert proposal.field in licence_text.FIELDS, proposal.field
        assert 0.0 <= proposal.confidence <= 1.0, proposal
        by_field[proposal.field] = proposal
    return by_field


class TestExtractProposals(unittest.TestCase):

    def assertValues(self, by_field, expected):
        self.assertEqual(
            {field: proposal.value for field, proposal in by_field.items()},
            expected)

    def test_device_trading_licence(self):
        by_field = _by_field(TRADING_LICENCE)
        self.assertValues(by_field, {
            'number': '京食药监械经营许20150035号',
            'holder': '北京康达医疗器械有限公司',
            'credit_code': '91110105MA01ABCD39',
            'issue_date': D(2020, 6, 18),
            'valid_from': D(2020, 6, 18),
            'valid_to': D(2025, 6, 17),
            'long_term': False,
            'issuing_authority': '北京市药品监督管理局',
            'scope_codes': [
                '01', '02', '06', '07', '6815', '6821', '6822', '6866'],
            'classes': ['III'],
            # The legal representative, not the 企业负责人 beside him.
            'legal_representative': '张伟',
            # 住所 rather than 经营场所 or the warehouse (库房地址).
            'address': '北京市朝阳区建国路88号3层301室',
        })
        self.assertEqual(by_field['credit_code'].confidence, 0.95)
        self.assertEqual(
            by_field['number'].source, '许可证编号:京食药监械经营许20150035号')
        self.assertIn('6866-1', by_field['scope_codes'].source)
        for proposal in by_field.values():
            self.assertGreaterEqual(proposal.confidence, 0.8, proposal)
            self.assertEqual(proposal.note, '')
        self.assertEqual(
            licence_text.detect_kind(TRADING_LICENCE), 'device_trading_licence')

    def test_business_licence(self):
        by_field = _by_field(BUSINESS_LICENCE)
        self.assertValues(by_field, {
            'number': '91350100M000100Y43',
            'holder': '福州康宁医疗器械有限公司',
            'credit_code': '91350100M000100Y43',
            # The date under the 登记机关 seal, not the 成立日期.
            'issue_date': D(2019, 3, 15),
            'valid_from': D(2015, 3, 10),
            'long_term': True,
            'classes': ['I', 'II', 'III'],
            'legal_representative': '陈明',
            'address': '福州市鼓楼区五四路89号置地广场12层',
        })
        self.assertIn('credit code', by_field['number'].note)
        self.assertLess(by_field['issue_date'].confidence, 0.9)
        self.assertIn('登记机关', by_field['issue_date'].source)
        self.assertEqual(
            licence_text.detect_kind(BUSINESS_LICENCE), 'business_licence')

    def test_founding_date_is_not_the_issue_date(self):
        text = ('营业执照\n名称 : 厦门安泰医疗器械有限公司\n'
                '成立日期 : 2012年05月20日\n营业期限 : 2012年05月20日至长期')
        by_field = _by_field(text)
        self.assertNotIn('issue_date', by_field)
        self.assertEqual(by_field['valid_from'].value, D(2012, 5, 20))
        self.assertIs(by_field['long_term'].value, True)
        self.assertNotIn('valid_to', by_field)

    def test_class2_filing(self):
        by_field = _by_field(CLASS2_FILING)
        self.assertValues(by_field, {
            'number': '沪浦食药监械经营备20190001号',
            'holder': '上海瑞康医疗科技有限公司',
            'credit_code': '91310115MA1H7Q3P5R',
            'issue_date': D(2019, 1, 8),
            'issuing_authority': '上海市浦东新区市场监督管理局',
            'scope_codes': ['07', '09', '14', '19', '6820', '6826', '6864'],
            'classes': ['II'],
            'legal_representative': '赵磊',
            'address': '上海市浦东新区张江路665号3幢201室',
        })
        # The class comes from the kind of document, not from its text.
        self.assertIn('第二类', by_field['classes'].note)
        self.assertLess(by_field['classes'].confidence, 0.8)
        self.assertEqual(
            licence_text.detect_kind(CLASS2_FILING), 'device_class2_filing')

    def test_medical_institution_licence(self):
        by_field = _by_field(INSTITUTION_LICENCE)
        self.assertValues(by_field, {
            'number': 'PDY00047-733010616A1001',
            'holder': '杭州市西湖区康复医院',
            'credit_code': '123301064700001232',
            'issue_date': D(2020, 1, 1),
            'valid_from': D(2020, 1, 1),
            'valid_to': D(2024, 12, 31),
            'long_term': False,
            'issuing_authority': '杭州市西湖区卫生健康局',
            'legal_representative': '周建国',
            'address': '杭州市西湖区文三路199号',
        })
        # Department numbers of 诊疗科目 (03.内科, 20 急诊医学科) are not
        # device categories.
        self.assertNotIn('scope_codes', by_field)
        self.assertIn('without a label', by_field['issue_date'].note)
        self.assertLessEqual(by_field['issue_date'].confidence, 0.6)
        self.assertEqual(
            licence_text.detect_kind(INSTITUTION_LICENCE),
            'medical_institution_licence')

    def test_hospital_number_of_digits(self):
        by_field = _by_field('登记号 : 12345678901234567A1001')
        self.assertEqual(by_field['number'].value, '12345678901234567A1001')
        self.assertGreaterEqual(by_field['number'].confidence, 0.9)

    def test_number_keeps_the_trailing_hao(self):
        by_field = _by_field('许可证编号 : 粤穗食药监械经营许 20170123 号')
        self.assertEqual(by_field['number'].value, '粤穗食药监械经营许20170123号')
        self.assertEqual(by_field['number'].confidence, 0.95)
        # An unexpected shape is kept, as printed, with less confidence.
        by_field = _by_field('编号 : ABC/12')
        self.assertEqual(by_field['number'].value, 'ABC/12')
        self.assertLess(by_field['number'].confidence, 0.7)

    def test_number_without_label(self):
        by_field = _by_field('医疗器械经营许可证\n京食药监械经营许20150035号')
        self.assertEqual(by_field['number'].value, '京食药监械经营许20150035号')
        self.assertEqual(by_field['number'].confidence, 0.6)

    def test_credit_code_ocr_confusion(self):
        by_field = _by_field('统一社会信用代码 : 9135O1OOMOOO1OOY43')
        proposal = by_field['credit_code']
        self.assertEqual(proposal.value, '91350100M000100Y43')
        self.assertEqual(proposal.confidence, 0.75)
        self.assertIn("'O' read for '0'", proposal.note)
        # The key and parameters let Odoo say it in the user's language.
        self.assertEqual(proposal.note_key, 'repaired')
        self.assertEqual(proposal.note_params['changes'],
                         [('O', '0', [5, 7, 8, 10, 11, 12, 14, 15])])
        by_field = _by_field('统一社会信用代码 : 91350I00M000100Y43')
        self.assertIn("'I' read for '1' at character 6",
                      by_field['credit_code'].note)
        # Without its label the repaired code is less certain still.
        by_field = _by_field('名称 : 某公司\n9135O1OOMOOO1OOY43')
        self.assertEqual(by_field['credit_code'].confidence, 0.6)

    def test_credit_code_that_does_not_validate(self):
        by_field = _by_field('统一社会信用代码 : 91350100M000100Y44')
        proposal = by_field['credit_code']
        self.assertEqual(proposal.value, '91350100M000100Y44')
        self.assertEqual(proposal.confidence, 0.3)
        self.assertIn("check character should be '3', not '4'", proposal.note)
        self.assertEqual(proposal.note_key, 'invalid_code')
        error = proposal.note_params['error']
        self.assertEqual((error.key, error.params),
                         ('check_character', {'expected': '3', 'char': '4'}))
        # An unlabelled 18-character token that fails is no credit code.
        self.assertEqual(
            licence_text.extract_proposals('ABCDEFGHJKLMNPQRTU'), [])

    def test_credit_code_without_label_and_split_by_ocr(self):
        by_field = _by_field('代 码 91350100 M000100Y43')
        self.assertEqual(by_field['credit_code'].value, '91350100M000100Y43')
        self.assertEqual(by_field['credit_code'].confidence, 0.7)

    def test_fuzzy_labels(self):
        exact = _by_field('法定代表人 : 张三')['legal_representative']
        # A missing character, a misread one, spaces inside.
        for text in ('法定代人 : 张三', '法定代衣人 : 张三', '法 定 代 表 人 : 张三'):
            proposal = _by_field(text)['legal_representative']
            self.assertEqual(proposal.value, '张三')
            if ' ' not in text:
                self.assertLess(proposal.confidence, exact.confidence)
        holder = _by_field('企业名祢 : 北京康达医疗器械有限公司')['holder']
        self.assertEqual(holder.value, '北京康达医疗器械有限公司')
        self.assertLess(holder.confidence, 0.8)
        # A short label followed by its value is not a misread longer one.
        by_field = _by_field('有效期:2025-12-31\n负责人王五')
        self.assertEqual(by_field['valid_to'].value, D(2025, 12, 31))
        self.assertEqual(by_field['legal_representative'].value, '王五')
        code = _by_field('统一社会信用代 : 91350100M000100Y43')['credit_code']
        self.assertGreater(code.confidence, 0.7)
        self.assertLess(code.confidence, 0.95)
        # Inside a value, a three-character fragment is not a label.
        scope = _by_field('经营范围 : 第三类医疗器械经营业务, 6815')
        self.assertEqual(scope['scope_codes'].value, ['6815'])
        self.assertNotIn('holder', scope)

    def test_label_alone_on_its_line(self):
        by_field = _by_field('企业名称\n深圳迈康医疗设备有限公司\n住所 : 深圳市南山区')
        self.assertEqual(by_field['holder'].value, '深圳迈康医疗设备有限公司')
        self.assertEqual(by_field['address'].value, '深圳市南山区')

    def test_validity_until(self):
        by_field = _by_field('有效期至 : 2025年12月31日')
        self.assertEqual(by_field['valid_to'].value, D(2025, 12, 31))
        self.assertIs(by_field['long_term'].value, False)
        self.assertNotIn('valid_from', by_field)

    def test_impossible_dates_are_not_proposed(self):
        by_field = _by_field(
            '发证日期 : 2023年02月30日\n有效期限 : 2020-01-01 至 2023-13-01')
        self.assertNotIn('issue_date', by_field)
        self.assertEqual(by_field['valid_from'].value, D(2020, 1, 1))
        self.assertNotIn('valid_to', by_field)

    def test_never_raises(self):
        for text in ('', None, 42, b'\x00\xff\xfe\x89PNG', '\x00' * 50,
                     ':::\n\n \u3000', '统一社会信用代码', '经营范围 :',
                     '有效期至', '\ud800', 'a' * 100000):
            self.assertEqual(licence_text.extract_proposals(text), [])

    def test_proposal(self):
        proposal = licence_text.Proposal(
            'issue_date', D(2020, 1, 2), 'line', 1.3, 'n')
        self.assertEqual(proposal.confidence, 1.0)
        self.assertEqual(proposal.as_dict(), {
            'field': 'issue_date', 'value': '2020-01-02', 'source': 'line',
            'confidence': 1.0, 'note': 'n'})
        self.assertIn('issue_date', repr(proposal))
        self.assertEqual(proposal, licence_text.Proposal(
            'issue_date', D(2020, 1, 2), 'line', 1.0, 'n'))


class TestNormalise(unittest.TestCase):

    def test_tesseract_quirks(self):
        self.assertEqual(
            licence_text.normalise_text(
                '营 业 执 照\r\n\r\n名  称 : ＡＢＣ医疗 （集团） 有限公司\n'
                '有效期 ： 2020—01—01 ～ 2025－12－31'),
            '营业执照\n名称:ABC医疗(集团)有限公司\n'
            '有效期:2020-01-01 ~ 2025-12-31')
        self.assertEqual(licence_text.normalise_text(None), '')
        self.assertEqual(licence_text.normalise_text(b'\xe5\x90\x8d'), '名')

    def test_names_match(self):
        self.assertTrue(licence_text.names_match(
            '北京康达医疗器械（集团）有限公司', '北京康达医疗器械(集团) 有限公司'))
        self.assertTrue(licence_text.names_match('abc Medical', 'ABC MEDICAL'))
        self.assertFalse(licence_text.names_match('北京康达', '北京康达医疗'))
        self.assertFalse(licence_text.names_match('', ''))
        self.assertFalse(licence_text.names_match(None, None))

    def test_detect_kind(self):
        self.assertEqual(
            licence_text.detect_kind('医 疗 器 械 生 产 许 可 证'),
            'device_production_licence')
        self.assertEqual(
            licence_text.detect_kind('备案编号 : 京朝药监械经营备20190001号'),
            'device_class2_filing')
        self.assertIsNone(licence_text.detect_kind('hello'))
        self.assertIsNone(licence_text.detect_kind(None))


class TestParseDate(unittest.TestCase):

    def test_formats(self):
        for text in ('2023年01月01日', '2023年1月1日', '2023-01-01', '2023/1/1',
                     '2023.1.1', '2023. 01. 01', '2023 年 1 月 1 日',
                     '２０２３年０１月０１日', '２０２３－０１－０１',
                     '2023年01月01曰', '2023一01一01', '二〇二三年一月一日',
                     '二○二三年一月一日', '发证日期 : 2023-1-1'):
            self.assertEqual(licence_text.parse_date(text), D(2023, 1, 1), text)
        self.assertEqual(
            licence_text.parse_date('二〇一九年十二月二十一日'), D(2019, 12, 21))
        self.assertEqual(
            licence_text.parse_date('二〇一九年十月三十日'), D(2019, 10, 30))

    def test_impossible_or_missing(self):
        for text in ('2023-02-30', '2023年13月01日', '2023.00.10',
                     '2100-01-01', '20230101', '1月1日', '', None, 42,
                     '二〇二三年十三月一日', '二〇二三年二月三十日',
                     '二〇二三年一月十十日', '许20150035号'):
            self.assertIsNone(licence_text.parse_date(text), text)
        self.assertEqual(licence_text.parse_date('2024-02-29'), D(2024, 2, 29))
        self.assertIsNone(licence_text.parse_date('2023-02-29'))


class TestParseValidity(unittest.TestCase):

    def test_ranges(self):
        cases = {
            '2020年01月01日至2025年12月31日': (D(2020, 1, 1), D(2025, 12, 31), False),
            '自2020年1月1日至长期': (D(2020, 1, 1), None, True),
            '2020-01-01 至 长期': (D(2020, 1, 1), None, True),
            '有效期至2025年12月31日': (None, D(2025, 12, 31), False),
            '长期': (None, None, True),
            '长 期 有 效': (None, None, True),
            '2020.01.01-2025.12.31': (D(2020, 1, 1), D(2025, 12, 31), False),
            '2020年01月01日起至2025年12月31日止':
                (D(2020, 1, 1), D(2025, 12, 31), False),
            '2025年12月31日止': (None, D(2025, 12, 31), False),
            '2025-12-31': (None, D(2025, 12, 31), False),
            '自 2020-01-01': (D(2020, 1, 1), None, False),
            '2015年03月10日至9999年12月31日': (D(2015, 3, 10), None, True),
            '': (None, None, False),
            None: (None, None, False),
        }
        for text, expected in cases.items():
            self.assertEqual(licence_text.parse_validity(text), expected, text)

    def test_impossible_dates_keep_their_place(self):
        self.assertEqual(
            licence_text.parse_validity('2020-01-01至2023-02-30'),
            (D(2020, 1, 1), None, False))
        self.assertEqual(
            licence_text.parse_validity('2023-02-30至2025-01-01'),
            (None, D(2025, 1, 1), False))


class TestParseScope(unittest.TestCase):

    def test_codes_and_classes(self):
        cases = {
            'III类: 6815,6821,6822': (['6815', '6821', '6822'], ['III']),
            'Ⅱ类、Ⅲ类医疗器械: 01,02,06': (['01', '02', '06'], ['II', 'III']),
            'II、III类 : 6840体外诊断试剂': (['6840'], ['II', 'III']),
            '二、三类 : 22临床检验器械': (['22'], ['II', 'III']),
            '第一类、第二类医疗器械销售': ([], ['I', 'II']),
            'Ⅲ类 : 6815-1, 6815-2, 6866': (['6815', '6866'], ['III']),
            # OCR reads Ⅲ as 'IIl' or '1II'.
            'IIl类:6815; 1II类:6821': (['6815', '6821'], ['III']),
            # Names of the 2017 catalogue count without their codes.
            '医用成像器械、呼吸,麻醉和急救器械': (['06', '08'], []),
            # 6827 is the 2002 中医器械, not the 2017 one (20).
            'Ⅲ类 : 6827中医器械': (['6827'], ['III']),
            # 6899 is in no catalogue, 2017 and 23 are no codes.
            '2017年分类目录 : 6899, 23, 15患者承载器械': (['15'], []),
            '': ([], []),
        }
        for text, expected in cases.items():
            self.assertEqual(
                licence_text.parse_scope(text), expected, text)

    def test_numbers_that_are_not_codes(self):
        for text in ('01.预防保健科;03.内科;12.口腔科', '有效期至2025年01月01日',
                     '22号楼', '10年', '0.5, 1.5', 'no. 01.02'):
            self.assertEqual(licence_text.parse_scope(text)[0], [], text)

    def test_named_only(self):
        self.assertEqual(
            licence_text.parse_scope('03.内科; 20中医器械; 01,02',
                                     named_only=True)[0], ['20'])


# Characters that exercise the parsers: label characters, digits, date
# separators, OCR look-alikes and line breaks.
_INTERESTING = list(
    '统一社会信用代码名称企业机构许可证编号备案登记法定代表人负责人住所地址'
    '发证机关部门日期有效期限至长期营业经营范围诊疗科目成立类ⅡⅢ器械年月日曰'
    '0123456789OISZ:：-./ ()\n号京食药监械许备')


def _render(date, style):
    """Return ``date`` written in one of the formats licences use."""
    year, month, day = date.year, date.month, date.day
    if style == 'cn':
        return '%d年%02d月%02d日' % (year, month, day)
    if style == 'cn_short':
        return '%d年%d月%d日' % (year, month, day)
    if style == 'iso':
        return date.isoformat()
    if style == 'slash':
        return '%d/%d/%d' % (year, month, day)
    if style == 'dot':
        return '%d.%d.%d' % (year, month, day)
    if style == 'dot_spaced':
        return '%d. %02d. %02d' % (year, month, day)
    if style == 'ocr_spaced':
        return '%d 年 %02d 月 %02d 日' % (year, month, day)
    if style == 'full_width':
        return ''.join(
            chr(ord(char) + 0xFEE0) if char != ' ' else char
            for char in date.isoformat())
    if style == 'numerals':
        digits = '〇一二三四五六七八九'

        def small(number):
            tens, units = divmod(number, 10)
            return ((digits[tens] if tens > 1 else '') + ('十' if tens else '')
                    + (digits[units] if units else ''))
        return '%s年%s月%s日' % (
            ''.join(digits[int(char)] for char in str(year)),
            small(month), small(day))
    raise ValueError(style)


_STYLES = ('cn', 'cn_short', 'iso', 'slash', 'dot', 'dot_spaced',
           'ocr_spaced', 'full_width', 'numerals')


class TestProperties(unittest.TestCase):

    _text = st.text(alphabet=st.one_of(
        st.sampled_from(_INTERESTING), st.characters()), max_size=300)
    _dates = st.dates(D(1900, 1, 1), D(2099, 12, 31))

    @settings(max_examples=300, deadline=None)
    @given(_text)
    def test_extraction_never_raises(self, text):
        # The private worker: extract_proposals would hide a bug.
        proposals = licence_text._extract(text)
        self.assertEqual(licence_text.extract_proposals(text), proposals)
        for proposal in proposals:
            self.assertIn(proposal.field, licence_text.FIELDS)
            self.assertTrue(0.0 <= proposal.confidence <= 1.0)
            if proposal.field == 'credit_code' and proposal.confidence > 0.5:
                self.assertTrue(uscc.is_valid(proposal.value))

    @settings(max_examples=300, deadline=None)
    @given(_text)
    def test_parsers_never_raise(self, text):
        date = licence_text.parse_date(text)
        self.assertTrue(date is None or isinstance(date, D))
        valid_from, valid_to, long_term = licence_text.parse_validity(text)
        self.assertIn(long_term, (True, False))
        codes, classes = licence_text.parse_scope(text)
        self.assertEqual(codes, sorted(set(codes)))
        licence_text.detect_kind(text)

    @settings(max_examples=200, deadline=None)
    @given(_dates, st.sampled_from(_STYLES))
    def test_every_format_parses_back(self, date, style):
        text = _render(date, style)
        self.assertEqual(licence_text.parse_date(text), date, text)
        self.assertEqual(
            licence_text.parse_date('发证日期 : %s\n' % text), date, text)

    @settings(max_examples=200, deadline=None)
    @given(_dates, _dates, st.sampled_from(_STYLES))
    def test_validity_round_trip(self, start, end, style):
        text = '%s 至 %s' % (_render(start, style), _render(end, style))
        self.assertEqual(
            licence_text.parse_validity(text), (start, end, False), text)
        text = '自%s至长期' % _render(start, style)
        self.assertEqual(
            licence_text.parse_validity(text), (start, None, True), text)

    @settings(max_examples=100, deadline=None)
    @given(st.sets(st.sampled_from(sorted(licence_text.CATALOGUE_2017)),
                   min_size=1),
           st.sets(st.sampled_from(sorted(licence_text.CATALOGUE_2002))))
    def test_scope_codes_round_trip(self, new_codes, old_codes):
        text = '经营范围 : Ⅲ类 : %s ; 2017年分类目录 : Ⅱ类、Ⅲ类 : %s' % (
            ', '.join(sorted(old_codes)), ' , '.join(sorted(new_codes)))
        by_field = _by_field(text)
        self.assertEqual(by_field['scope_codes'].value,
                         sorted(new_codes | old_codes))
        self.assertEqual(by_field['classes'].value, ['II', 'III'])
