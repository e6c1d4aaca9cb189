"""Recognisers for private values that are not plain digit runs.

- permits and passports: 港澳居民来往内地通行证 (H/M + 8 or 10 digits), passports (E/G/D/S/P with
  7–8 digits, E + letter + 7 digits), 外国人永久居留身份证 (3 letters + 12 digits), and anything after
  a document word (证件号码, 护照号码…);
- e-mail addresses (RFC 5322's common form), WeChat IDs after 微信/VX/wx (6–20 characters starting with
  a letter, WeChat's own rule), QQ numbers after QQ/扣扣;
- licence plates (GA 36-2018: province, letter, 5 characters; new-energy plates with D/F, 6 characters);
- health data (个人信息保护法 art. 28: 医疗健康 is sensitive personal information): conditions after
  患有/确诊/诊断为, disability grades, pregnancy, and a short list of diagnoses;
- addresses (政府信息公开条例 art. 15; 法释〔2016〕19号 art. 9): the whole value after a home-address
  word, spaces included, and unlabelled building/unit/room fragments, with the estate or village name
  before them.
"""

from __future__ import annotations

import re

from enforcement.core.masking.findings import Finding

_DOC_WORDS = (r"护照号码?|护照|通行证号码?|回乡证号?码?|台胞证号?码?|居住证号?码?|证件号码?|军官证号?码?|士兵证号?码?|"
              r"驾驶证号?码?|驾照号?码?|社保卡号?码?|医保卡号?码?|永久居留证号?码?")
_LABELLED_DOC = re.compile(rf"(?:{_DOC_WORDS})(?:为|是|:|\s)*([A-Za-z]{{0,3}}\d[0-9A-Za-z]{{5,19}})(?![0-9A-Za-z])")
_ENGLISH_DOC = re.compile(r"(?:[Pp]assport|PASSPORT|ID [Cc]ard)(?: [Nn]o\.?| [Nn]umber)?[:\s]*"
                          r"([A-Z]{0,2}\d{1,3} ?\d{4,9})(?![0-9A-Za-z])")
_DOC = re.compile(
    r"(?=[HMCcEGDSPegA-Z])(?<![0-9A-Za-z])(?:([HMCc] ?\d{4} ?\d{4}(?:\d{2})?)|([EGDSPeg] ?(?:[A-Za-z]\d{3} ?\d{4}|\d{4} ?\d{4}))|"
    r"([A-Z]{3}\d{12}))(?![0-9A-Za-z])")
_NOT_DOC_BEFORE = re.compile(r"(?:型号|编号|货号|批号|批次|规格|产品|零件|代码|序列号|号码段|准字|批准文号|注册证号?|"
                             r"国食健注|备案号|许可证号|标准号)[为是:\s]*$")
# 香港身份证 A123456(7), 澳门身份证 1234567(8), 台湾身份证 A123456789 (after their words)
_HK_MO_TW_ID = re.compile(r"(?:香港|港|澳门|澳|台湾|台)[\u4e00-\u9fa5]{0,8}?(?:身份证|居民身份证)[\u4e00-\u9fa5]{0,3}[:\s]*"
                          r"([A-Z]{1,2}\d{6}\s?\(?[0-9A]\)?|[157]\d{6}\s?\(?\d\)?|[A-Z][12]\d{8})")

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")
_WECHAT = re.compile(r"(?:微信号?|微信账号|微信名|[Vv]信|威信|薇信|VX|vx|Vx|wx|WX|Wx|weixin|WeChat|wechat|"
                     r"抖音号?|快手号?|微博号?|小红书号?|钉钉号?|Telegram|WhatsApp|Line)(?:号|账号)?(?:为|是|:|\s)*"
                     r"([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])")
_QQ = re.compile(r"(?:QQ|qq|Qq|扣扣)(?:号码|号)?(?:为|是|:|\s)*(\d{5,11})(?!\d)")

_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z](?:[ ·.\-]?)"
    r"[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])[挂学警港澳领试超]?")

_HEALTH = re.compile(
    r"(?:患有|罹患|身患|患上|确诊(?:为|患有)?|诊断为|被诊断为|诊断患有|查出|检查出|经诊断为?)"
    r"[\u4e00-\u9fa5A-Za-z0-9]{0,12}?(?:病|症|癌|炎|瘤|综合征|障碍|感染|阳性|中风|骨折|残疾|梗死|梗塞|衰竭)"
    r"|(?:[一二三四1-4]级|壹级|贰级|叁级|肆级)(?:肢体|视力|听力|言语|智力|精神|多重)残疾"
    r"|(?:肢体|视力|听力|言语|智力|精神|多重)残疾(?:[一二三四1-4]级)?(?!人)"
    r"|残疾等级(?:为|是|:)?[一二三四1-4]级|(?:肢体|视力|听力|言语|智力|精神|多重)[一二三四1-4]级"
    r"|(?:做完|做了|刚做|接受了?|进行了?)[\u4e00-\u9fa5]{1,8}手术"
    r"|(?:怀孕|身怀六甲|孕)(?:[一二三四五六七八九十\d]{1,2}个?(?:多)?(?:月|周))?(?!妇女|产妇|期妇女)"
    r"|HIV(?:阳性|感染者?)?|艾滋病(?:病毒)?(?:感染者?|患者)?|精神分裂症|抑郁症|双相情感障碍|癫痫|白血病|尿毒症|"
    r"恶性肿瘤|阿尔茨海默病|帕金森病|乙肝(?:病毒)?(?:携带者?)?|肺结核|糖尿病|高血压|心脏病|脑梗|瘫痪|截肢|透析|"
    r"孕妇|哺乳期"
)
# Statute phrasing about classes of people, not about a person: not health data of anyone.
_HEALTH_GENERIC_AFTER = re.compile(r"^(?:人|者|患者的|病人|病人、|的人|等)")
_HEALTH_PRODUCT_BEFORE = re.compile(r"(?:治疗|预防|防治|用于|主治|适用于|缓解)$")

_HOME_WORDS = (r"房屋地址|房屋坐落于?|坐落于|家庭住所|家庭住址|家庭地址|家住|住址|现住址|现住|现居住地|现居于|现居|居住地址|居住地|居住于|居住在|住所地|住所|"
               r"户籍所在地|户籍地址|户籍地|户口所在地|暂住地址|暂住地|暂住于|暂住|租住于|租住在|租住|住在|住于|送达地址|邮寄地址|收件地址|"
               # a bare 住 before a place: 住北京市…, 住大兴区…, 住宏福苑小区…, 住2号院… (not 住所, 住房, 住户…)
               r"(?<![居常暂租入])住(?![所址房户宅院在于宿])(?=北京|天津|上海|重庆|[\u4e00-\u9fa5]{1,4}[省市区县镇乡]"
               r"|[\u4e00-\u9fa5]{1,6}(?:村|小区|社区|花园|家园|公寓|苑|园)|\d)")
_LABELLED_ADDRESS = re.compile(rf"(?:{_HOME_WORDS})(?:为|是|:|在|于|\s)*([^,，。；;！!？?\n、()（）\[\]【】“”\"]{{2,60}})")
_ADDRESSY = re.compile(r"[省市区县镇乡村街路巷弄号室院庄苑园屯]|小区|社区|单元|公寓|大厦|家园|花园|\d")
_ADDRESS_STOP = re.compile(r"(?:的|经营|开设|从事|进行|设立|并|但|且|因|由于|时|期间|被|将|未|擅自|私自)")
_FRAGMENT = re.compile(
    r"(?:\d+|[一二三四五六七八九十]+)(?:号楼|栋|幢|座|号院)(?:\d+|[一二三四五六七八九十]+)?(?:单元|门)?(?:\d+(?:层|楼))?"
    r"(?:\d+(?:室|号|户)?)?"
    r"|\d+排\d+号院?|(?:[一二三四五六七八九十]+|\d+)队\d+号|\d+巷\d+号|\d+弄\d+号"
    r"|(?:\d+号院)?\d{1,3}-\d{1,2}-\d{3,4}(?!\d)")  # 3-2-501, 2号院5-1-302: building-unit-room
_PLACE_SUFFIX = re.compile(r"(?:小区|社区|花园|家园|嘉园|公寓|新村|大院|苑|园|村|庄|里|屯|院|城|墅|府|湾|郡)$")
_PLACE_STOP = "在于住的至到是为和与及、，,。；;：:（）() 位址即从自向往经现处对"
_ADMIN = re.compile(r"(?:[\u4e00-\u9fa5]{1,6}?(?:省|市|区|县|镇|乡|街道|地区))$")


def _doc_findings(norm: str) -> list[Finding]:
    found = [Finding("id_document", m.start(1), m.end(1), m.group(1), 0.9, "证件字样后的号码")
             for m in _LABELLED_DOC.finditer(norm)]
    found += [Finding("id_document", m.start(1), m.end(1), m.group(1), 0.95, "港澳台居民身份证号码")
              for m in _HK_MO_TW_ID.finditer(norm)]
    found += [Finding("id_document", m.start(1), m.end(1), m.group(1), 0.9, "护照号码")
              for m in _ENGLISH_DOC.finditer(norm)]
    for m in _DOC.finditer(norm):
        before = norm[max(0, m.start() - 8):m.start()]
        doc_word = re.search(_DOC_WORDS, norm[max(0, m.start() - 12):m.start()])
        score = 0.95 if doc_word else 0.8
        if _NOT_DOC_BEFORE.search(before):
            score = 0.3
        if _NOT_DOC_BEFORE.search(norm[max(0, m.start() - 12):m.start()]):
            score = 0.3  # 国药准字H11020891: an approval number
        kind = ("港澳通行证号码" if m.group(1) else "护照号码" if m.group(2) else "外国人永久居留身份证号码")
        found.append(Finding("id_document", m.start(), m.end(), m.group(), score, kind))
    return found


def _contact_findings(norm: str) -> list[Finding]:
    found = []
    if "@" in norm:
        found += [Finding("email", m.start(), m.end(), m.group(), 0.95, "电子邮箱地址") for m in _EMAIL.finditer(norm)]
    if _WECHAT_HINT.search(norm):
        found += [Finding("im_account", m.start(1), m.end(1), m.group(1), 0.9, "微信号") for m in _WECHAT.finditer(norm)]
    found += [Finding("im_account", m.start(1), m.end(1), m.group(1), 0.9, "QQ号码") for m in _QQ.finditer(norm)]
    found += [Finding("licence_plate", m.start(), m.end(), m.group(), 0.9, "机动车号牌") for m in _PLATE.finditer(norm)]
    return found


# Characters without which no health phrase can be present: a cheap test before the long pattern.
_HEALTH_HINT = re.compile(r"[患罹确诊残孕疾症病癌炎瘤障碍阳梗衰瘫截透哺HI艾]|查出|感染|梗塞|手术|[一二三四1-4]级")
_FRAGMENT_HINT = re.compile(r"[楼栋幢座院排队巷弄]|\d-\d")
_WECHAT_HINT = re.compile(r"[微信VvWw薇威抖快博书钉TL]")


def _health_findings(norm: str) -> list[Finding]:
    found = []
    if not _HEALTH_HINT.search(norm):
        return found
    for m in _HEALTH.finditer(norm):
        value = m.group()
        person = value.startswith(("患", "罹", "身患", "确诊", "诊断", "被诊断", "查出", "检查出", "经诊断", "怀孕", "做",
                                   "刚做", "接受", "进行"))
        if not person and _HEALTH_GENERIC_AFTER.match(norm[m.end():m.end() + 4]):
            continue  # 精神病人, 残疾人: a class of people in a statute, not someone's health
        if not person and _HEALTH_PRODUCT_BEFORE.search(norm[max(0, m.start() - 6):m.start()]):
            continue  # 用于治疗高血压: what a product treats, not someone's condition
        score = 0.85 if person or "级" in value or "残疾" in value else 0.6
        found.append(Finding("health", m.start(), m.end(), value, score, "健康状况（敏感个人信息）"))
    return found


def _trim_address(value: str) -> str:
    stop = _ADDRESS_STOP.search(value)
    if stop and stop.start() >= 4:
        value = value[:stop.start()]
    return value.rstrip(" ")


def _place_before(norm: str, start: int) -> int:
    """Where the place before a building fragment starts: the estate or village (宏福苑小区 + 12栋…) and the
    district and town before it (大兴区西红门镇星光社区 + 6号楼…), at most four characters a name."""
    head = norm[max(0, start - 30):start]
    suffix = _PLACE_SUFFIX.search(head)
    if not suffix:
        return start
    i = suffix.start()
    for _ in range(4):
        if i == 0 or head[i - 1] in _PLACE_STOP or not _is_cjk(head[i - 1]):
            break
        i -= 1
    while True:
        admin = _ADMIN.search(head[:i])
        if not admin or any(ch in _PLACE_STOP for ch in admin.group()):
            break
        i = admin.start()
    return start - (len(head) - i)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fa5"


_ADDRESS_HINT = re.compile(r"[住址居籍坐]|户口")


def _address_findings(norm: str) -> list[Finding]:
    found = []
    for m in (_LABELLED_ADDRESS.finditer(norm) if _ADDRESS_HINT.search(norm) else ()):
        value = _trim_address(m.group(1))
        if len(value) >= 2 and _ADDRESSY.search(value) and "*" not in value:  # ****: masked already
            found.append(Finding("address", m.start(1), m.start(1) + len(value), value, 0.9, "住址字样后的地址"))
    for m in (_FRAGMENT.finditer(norm) if _FRAGMENT_HINT.search(norm) else ()):
        value = m.group()
        has_room = bool(re.search(r"(?:单元|门|层|楼|室|户|\d)$", value)) and not value.endswith(("号楼", "号院"))
        if "-" in value and not re.search(r"[楼栋幢座院排队巷弄]", norm[max(0, m.start() - 12):m.start()] + value):
            continue  # 12-3-456 alone could be anything; after an estate or 号院 it is a flat
        if value.endswith(("栋", "幢", "座", "号楼")) and not re.search(r"单元|室", value):
            continue  # a building alone is not a home
        start = _place_before(norm, m.start())
        if "*" in value:
            continue
        if not re.search(r"\d(?:室|号|户)?$|排|队|-", value):
            score = 0.5  # 4号楼6单元: a stairwell, not yet a home
        else:
            score = 0.85 if has_room or "排" in value or "队" in value else 0.6
        found.append(Finding("address", start, m.end(), norm[start:m.end()], score, "楼号、单元、门牌等住址片段"))
    return found


def scan_patterns(norm: str) -> list[Finding]:
    """Every non-digit-run finding in the normalised text ``norm``."""
    return [*_doc_findings(norm), *_contact_findings(norm), *_health_findings(norm), *_address_findings(norm)]
