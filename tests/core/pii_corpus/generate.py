"""Deterministic generator of personal-data test cases for the masking engine.

Standard library only.  All people, numbers and addresses are invented.

    positives(n=1200) -> list of {"text", "spans": [{"kind", "value"}], "context"?}
    negatives(n=600)  -> list of {"text", "context"?, "note"}

Span conventions (same as positives_handwritten.jsonl):
  * the value is the personal datum only, without its label (住址：, 微信号, 证人 ...)
    and without a title (先生/女士);
  * phone values keep their own country code / area code / extension as written;
  * id_number embedded in a longer number (残疾人证号) -> the whole number;
  * health -> the words naming the condition (高血压, 抑郁症, 残疾等级为二级 ...);
  * every occurrence of a value in the text must be masked.
Run ``python3 generate.py`` for a summary.
"""
from __future__ import annotations

import random
from collections import Counter

SEED_POS = 20260315
SEED_NEG = 20260316

# ---------------------------------------------------------------- helpers
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_digit(body17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=False)) % 11]


def luhn_complete(body: str) -> str:
    """Append the Luhn check digit to ``body``."""
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return luhn_complete(number[:-1]) == number


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_code_check(body8: str) -> str:
    def val(c):
        return int(c) if c.isdigit() else ord(c) - 55  # A=10 ... Z=35
    r = 11 - sum(val(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=False)) % 11
    return {10: "X", 11: "0"}.get(r, str(r))


def uscc_check(body17: str) -> str:
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=False))
    return USCC_CHARS[(31 - s % 31) % 31]


def make_uscc(rng: random.Random, region: str = "110115") -> str:
    head = rng.choice(["91", "92", "93", "52", "12", "11", "51", "J1"])
    if head == "J1":
        head = "91"
    org_body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    # org codes of the 2015 scheme for new firms often start MA
    if rng.random() < 0.5:
        org_body = "MA0" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(5))
    org = org_body + org_code_check(org_body)
    if org[-1] == "X":  # X is not in the USCC charset as a body char? (it is: X valid)
        pass
    body = head + region + org
    return body + uscc_check(body)


def uscc_ok(code: str) -> bool:
    return len(code) == 18 and all(c in USCC_CHARS for c in code) and uscc_check(code[:17]) == code[17]


def regno_check(body14: str) -> str:
    """GB/T 17710 ISO 7064 MOD 11,10 check digit of a 15-digit 工商注册号."""
    p = 10
    for c in body14:
        s = (p + int(c)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


FW_DIGITS = str.maketrans("0123456789Xx-@", "０１２３４５６７８９Ｘｘ－＠")


def fullwidth(s: str) -> str:
    return s.translate(FW_DIGITS)


REGIONS = ["110105", "110115", "110108", "110106", "110111", "130602", "130984", "130181",
           "410521", "371302", "511023", "420117", "340827", "650104", "620102",
           "220104", "150102", "230103", "320311", "360731", "441622", "130425",
           "410327", "510722", "431024", "140107", "211282", "372925"]


def birth(rng, lo=1950, hi=2004):
    y = rng.randint(lo, hi)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    return f"{y:04d}{m:02d}{d:02d}"


def id18(rng, wrong_check=False) -> str:
    body = rng.choice(REGIONS) + birth(rng) + f"{rng.randint(0, 999):03d}"
    chk = id_check_digit(body)
    if wrong_check:
        chk = rng.choice([c for c in "0123456789X" if c != chk])
    return body + chk


def id18_with_x(rng) -> str:
    for _ in range(1000):
        v = id18(rng)
        if v.endswith("X"):
            return v
    raise RuntimeError


def id15(rng) -> str:
    b = birth(rng, 1940, 1979)[2:]
    return rng.choice(REGIONS) + b + f"{rng.randint(0, 999):03d}"


def id_number_value(rng, style=None):
    style = style or rng.choice(["plain", "plain", "x", "lower_x", "fullwidth", "spaces",
                                 "dashes", "wrong", "id15", "disab"])
    if style == "plain":
        return id18(rng), style
    if style == "x":
        return id18_with_x(rng), style
    if style == "lower_x":
        return id18_with_x(rng)[:-1] + "x", style
    if style == "fullwidth":
        return fullwidth(id18(rng)), style
    if style == "spaces":
        v = id18(rng)
        return f"{v[:6]} {v[6:14]} {v[14:]}", style
    if style == "dashes":
        v = id18(rng)
        return f"{v[:6]}-{v[6:10]}-{v[10:14]}-{v[14:]}", style
    if style == "wrong":
        return id18(rng, wrong_check=True), style
    if style == "id15":
        return id15(rng), style
    if style == "disab":  # 残疾人证号 = ID + 2 digits (disability category + grade)
        return id18(rng) + rng.choice(["11", "12", "22", "32", "42", "43", "53", "61", "71", "72"]), style
    raise ValueError(style)


def id_document_value(rng):
    style = rng.choice(["hk8", "hk10", "mo8", "mo10", "tw", "rp81", "rp82", "rp83", "passport"])
    if style == "hk8":
        return f"H{rng.randint(10**7, 10**8 - 1)}", "港澳居民来往内地通行证"
    if style == "hk10":
        return f"H{rng.randint(10**9, 10**10 - 1)}", "港澳居民来往内地通行证"
    if style == "mo8":
        return f"M{rng.randint(10**7, 10**8 - 1)}", "港澳居民来往内地通行证"
    if style == "mo10":
        return f"M{rng.randint(10**9, 10**10 - 1)}", "回乡证"
    if style == "tw":
        return f"{rng.randint(10**7, 10**8 - 1)}", rng.choice(["台胞证", "台湾居民来往大陆通行证", "台胞证号"])
    if style in ("rp81", "rp82", "rp83"):
        body = {"rp81": "810000", "rp82": "820000", "rp83": "830000"}[style] + birth(rng) + f"{rng.randint(0, 999):03d}"
        label = {"rp81": "港澳台居民居住证", "rp82": "港澳台居民居住证", "rp83": "台湾居民居住证"}[style]
        return body + id_check_digit(body), label
    letter = rng.choice("EEEGPSD")
    digits = 8 if letter in "EG" else rng.choice([7, 8])
    num = f"{rng.randint(10**(digits-1), 10**digits - 1)}"
    return letter + num, rng.choice(["护照号码", "护照号", "护照"])


MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145",
                   "147", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166",
                   "171", "173", "175", "176", "177", "178", "180", "181", "182", "183", "185",
                   "186", "187", "188", "189", "191", "193", "198", "199"]


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"


def phone_value(rng):
    m = mobile(rng)
    style = rng.choice(["m_plain", "m_344", "m_434", "m_plus86", "m_fw", "m_86dash", "m_dash",
                        "l_dash", "l_paren", "l_space", "l_ext", "l_local", "l_other", "m_plain",
                        "l_fwparen"])
    local = rng.choice("5678") + f"{rng.randint(0, 9999999):07d}"
    if style == "m_plain":
        return m
    if style == "m_344":
        return f"{m[:3]} {m[3:7]} {m[7:]}"
    if style == "m_434":
        return f"{m[:4]} {m[4:8]} {m[8:]}"
    if style == "m_plus86":
        return f"+86 {m[:3]}-{m[3:7]}-{m[7:]}"
    if style == "m_fw":
        return fullwidth(m)
    if style == "m_86dash":
        return f"86-{m}"
    if style == "m_dash":
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if style == "l_dash":
        return f"010-{local}"
    if style == "l_paren":
        return f"(010){local}"
    if style == "l_fwparen":
        return f"（010）{local[:4]}{local[4:]}"
    if style == "l_space":
        return f"010 {local[:4]}-{local[4:]}"
    if style == "l_ext":
        return rng.choice([f"010-{local}转{rng.randint(100, 8999)}", f"010-{local}-{rng.randint(10, 899)}"])
    if style == "l_local":
        return local  # only meaningful after 电话/联系电话; templates put it there
    area = rng.choice(["0311", "0312", "0316", "022", "021", "0371", "0755"])
    n = 7 if len(area) == 4 and rng.random() < 0.5 else 8
    return f"{area}-{rng.randint(2 * 10**(n-1), 10**n - 1)}"


BANK_BINS = ["622202", "622848", "621700", "622588", "621226", "622700", "623052", "621661",
             "622260", "622908", "625965", "628288", "621483", "621799", "622150"]


def bank_value(rng):
    style = rng.choice(["card16", "card19", "card19_sp", "card16_sp", "card19", "corp", "any"])
    if style in ("card16", "card16_sp"):
        v = luhn_complete(rng.choice(BANK_BINS) + f"{rng.randint(0, 10**9 - 1):09d}")
    elif style in ("card19", "card19_sp"):
        v = luhn_complete(rng.choice(BANK_BINS) + f"{rng.randint(0, 10**12 - 1):012d}")
    elif style == "corp":
        v = rng.choice(["1100", "0200", "3100", "1109", "0109"]) + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([12, 13, 14, 15])))
    else:  # labelled account, digits with no check
        v = "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([16, 17, 18, 19])))
        if v[0] == "0":
            v = "6" + v[1:]
    if style.endswith("_sp"):
        v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    return v


PINYIN = ["zhang", "wang", "li", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun",
          "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo", "xiaohong", "jianguo", "lili", "wei",
          "fang", "min", "jing", "qiang", "lei", "yan", "jun", "ping", "gang", "hui", "ying"]


def email_value(rng):
    a, b = rng.sample(PINYIN, 2)
    local = rng.choice([a + b, f"{a}.{b}", f"{a}_{b}{rng.randint(1, 99)}", f"{a}{rng.randint(1960, 2005)}",
                        f"{a}.{b}+tousu", f"{b}{a}{rng.randint(100, 999)}", f"{a}-{b}"])
    if rng.random() < 0.25:
        local = str(rng.randint(10**7, 10**10))  # QQ mailbox
        dom = "qq.com"
    else:
        dom = rng.choice(["163.com", "126.com", "qq.com", "sina.com", "sina.cn", "foxmail.com",
                          "139.com", "gmail.com", "outlook.com", "aliyun.com", "yeah.net", "sohu.com",
                          "xhm-wuye.com.cn", "bjdx.edu.cn"])
    sep = "＠" if rng.random() < 0.15 else "@"
    return f"{local}{sep}{dom}"


def wechat_id(rng):
    a = rng.choice(PINYIN)
    n = rng.randint(1, 9999)
    cand = rng.choice([f"{a}{n}", f"{a}_{rng.choice(PINYIN)}", f"wxid_{rng.randint(10**5, 10**8)}",
                       f"{a}-{rng.choice(PINYIN)}{rng.randint(1, 99)}", f"{a.capitalize()}{rng.choice(PINYIN)}{rng.randint(80, 99)}"])
    cand = cand[:20]
    if len(cand) < 6:
        cand = cand + f"{rng.randint(1000, 9999)}"
    return cand


def qq_value(rng):
    k = rng.choice([5, 6, 7, 8, 9, 9, 10, 10, 11])
    return str(rng.randint(10**(k - 1), 10**k - 1))


PROVINCES = "京京京京京津冀冀冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云陕甘青宁新"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_CHARS = "0123456789" + "ABCDEFGHJKLMNPQRSTUVWXYZ"


def plate_value(rng):
    p = rng.choice(PROVINCES)
    city = rng.choice(PLATE_LETTERS[:12])
    style = rng.choice(["plain", "dot", "space", "nev_front", "nev_back", "mixed", "xue", "dot_mixed"])
    if style in ("plain", "dot", "space"):
        tail = f"{rng.randint(0, 99999):05d}"
    elif style in ("mixed", "dot_mixed"):
        tail = "".join(rng.choice(PLATE_CHARS) for _ in range(5))
        if tail.isdigit():
            tail = tail[:2] + "K" + tail[3:]
    elif style == "nev_front":
        tail = rng.choice("DF") + f"{rng.randint(0, 99999):05d}"
    elif style == "nev_back":
        tail = f"{rng.randint(0, 99999):05d}" + rng.choice("DF")
    else:  # driving-school car
        tail = rng.choice(PLATE_LETTERS) + f"{rng.randint(0, 9999):04d}" + "学"
    sep = {"dot": "·", "dot_mixed": "·", "space": " ", "xue": rng.choice(["·", ""])}.get(style, "")
    return f"{p}{city}{sep}{tail}"


SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "皇甫", "慕容", "令狐", "东方"]
GIVEN1 = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国兰凤洁梅琳素云莲真环雪荣爱妹倩婷宁蓉新丹")
GIVEN2 = ["建国", "秀英", "小红", "丽华", "志强", "海燕", "春梅", "建华", "玉兰", "桂芳", "文斌", "晓东",
          "淑珍", "德明", "振华", "雪梅", "宏伟", "立新", "秀兰", "国庆", "凤英", "红霞", "子轩", "雨涵",
          "浩然", "梓涵", "一鸣", "欣怡", "金凤", "长顺", "永刚", "世杰", "玉梅", "秋菊", "振江", "淑华"]
UYGHUR = ["阿依古丽·买买提", "买买提·艾力", "艾尔肯·吐尔逊", "古丽娜尔·艾山", "热依拉·阿不都", "阿卜杜拉·依明",
          "迪丽努尔·卡德尔", "努尔兰·哈力克", "帕提古丽·玉素甫", "吐尔洪·沙吾提", "巴图·其其格", "乌兰·巴特尔"]


def name_value(rng):
    for _ in range(50):
        v = _name_value(rng)
        if v not in OFFICERS:
            return v
    raise RuntimeError


def _name_value(rng):
    r = rng.random()
    if r < 0.12:
        return rng.choice(UYGHUR)
    if r < 0.20:
        return rng.choice(COMPOUND) + rng.choice(GIVEN1 + GIVEN2)
    if r < 0.45:
        return rng.choice(SURNAMES) + rng.choice(GIVEN1)
    return rng.choice(SURNAMES) + rng.choice(GIVEN2)


DISTRICTS = ["北京市大兴区", "北京市丰台区", "北京市朝阳区", "北京市海淀区", "大兴区", "北京市通州区",
             "河北省廊坊市固安县", "河南省商丘市睢县", "山东省菏泽市曹县", "河北省保定市涿州市"]
TOWNS = ["西红门镇", "旧宫镇", "黄村镇", "亦庄镇", "瀛海镇", "西红门地区", "清源街道", "兴丰街道", "林校路街道"]
COMPOUNDS = ["宏福苑小区", "金星西里", "瑞海家园", "兴盛园", "福星花园", "宏业东路社区", "金华寺村",
             "寿宝庄村", "新建一村", "大生庄村", "鸿坤花语墅", "星光社区", "海子角村", "志远庄村", "团河南村"]
CN_NUM = "一二三四五六七八九十"


def address_fragment(rng):
    b, u, f, r = rng.randint(1, 32), rng.randint(1, 6), rng.randint(1, 18), rng.randint(1, 4)
    return rng.choice([
        f"{b}号楼{u}单元{f}0{r}",
        f"{b}号楼{u}单元{f}0{r}室",
        f"{rng.choice(COMPOUNDS)}{b}栋{u}单元{f}0{r}室",
        f"{rng.randint(1, 12)}排{rng.randint(1, 40)}号院",
        f"{rng.choice(['某某村', '大生庄村', '金华寺村', '志远庄村'])}{rng.choice(CN_NUM)}队{rng.randint(1, 60)}号",
        f"{b}-{u}-{f}0{r}",
        f"{rng.choice(['南', '北', '东', '西'])}{rng.randint(1, 9)}条{rng.randint(1, 60)}号",
    ])


def address_full(rng, spaced=False):
    d, t, c = rng.choice(DISTRICTS), rng.choice(TOWNS), rng.choice(COMPOUNDS)
    if c.endswith("村"):
        tail = rng.choice([f"{rng.randint(1, 12)}排{rng.randint(1, 40)}号", f"{rng.choice(CN_NUM)}队{rng.randint(1, 60)}号",
                           f"{rng.randint(1, 300)}号"])
    else:
        tail = f"{rng.randint(1, 32)}号楼{rng.randint(1, 6)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
    if d.startswith("河"):
        t = rng.choice(["城关镇", "白沟镇", "孙寺镇", "柳园镇"])
    if spaced:
        return f"{d} {t}{c}{tail}"
    if rng.random() < 0.3:
        return fullwidth(f"{d}{t}{c}{tail}")
    return f"{d}{t}{c}{tail}"


HEALTH_DISEASES = ["高血压", "抑郁症", "精神分裂症", "糖尿病", "冠心病", "脑梗后遗症", "双相情感障碍", "尿毒症",
                   "阿尔茨海默病", "癫痫", "肺结核", "乳腺癌", "腰椎间盘突出", "重度焦虑症", "帕金森病", "艾滋病",
                   "慢性肾衰竭", "肝硬化", "哮喘"]
HEALTH_STATES = ["残疾等级为二级", "HIV阳性", "肢体残疾", "视力残疾一级", "听力残疾三级", "智力残疾二级",
                 "乙肝病毒携带", "肢体残疾四级", "精神残疾二级"]
HEALTH_PHRASES = ([("患有" + d, d) for d in HEALTH_DISEASES] + [("确诊为" + d, d) for d in HEALTH_DISEASES[:10]]
                  + [("系" + d + "患者", d) for d in HEALTH_DISEASES[:8]] + [(s, s) for s in HEALTH_STATES]
                  + [("经诊断为" + d, d) for d in HEALTH_DISEASES[8:]])
HEALTH = ["高血压", "抑郁症", "残疾等级为二级", "怀孕七个月", "精神分裂症", "HIV阳性", "肢体残疾",
          "糖尿病", "冠心病", "乙肝病毒携带", "脑梗后遗症", "双相情感障碍", "视力残疾一级", "尿毒症",
          "阿尔茨海默病", "癫痫", "肺结核", "乳腺癌", "怀孕五个月", "听力残疾三级", "智力残疾二级",
          "腰椎间盘突出", "重度焦虑症", "帕金森病", "艾滋病"]


# ------------------------------------------------------------ positive templates
# Slot syntax: {kind} or {kind:label} (label chooses the form); every slot value is a span.
POS_TEMPLATES = [
    "经查，当事人{name}（公民身份号码：{id_number}）于{date}在{town}{addr_frag}处私搭乱建，搭建面积约12平方米。",
    "当事人：{pname}，性别：男，身份证号：{id_number}，住址：{address}。",
    "当事人{pname}，身份证号码{id_number}，联系电话{phone}，现住{address}。",
    "{date}，执法人员接群众举报（举报人{name}女士，电话{phone}）称{town}某餐饮店使用不合格燃气软管。",
    "举报人{name}反映其楼上{addr_frag}住户长期违规饲养家禽，联系方式：{phone}。",
    "现场检查时保洁员{name}在场，其联系电话{phone}，执法人员当场制作了现场笔录。",
    "见证人{name}（身份证号{id_number}）对现场检查过程予以见证并签字。",
    "证人{name}、{name}在场，二人均证实当事人在{addr_frag}门前摆摊经营。",
    "当事人之妻{name}代为签收，签收人联系电话：{phone}。",
    "罚款缴纳：当事人通过个人银行卡（卡号{bank_account}，开户行中国农业银行北京大兴支行）缴纳罚款。",
    "当事人提供的退款账户：开户行：中国工商银行北京西红门支行，账号：{bank_account}，户名：{name}。",
    "公司银行账户：{bank_account}（北京银行大兴支行），经办人{name}，电话{phone}。",
    "当事人称已通过电子邮件（{email}）向物业公司提出书面异议。",
    "投诉人通过邮箱{email}提交了照片三张，其微信号{wechat}。",
    "当事人在微信群内自称“小区管家”，微信{wechat}，QQ{qq}，招揽他人在楼顶加盖。",
    "经核实，违规发布小广告的联系方式为：VX：{wechat}，扣扣：{qq}，电话{phone}。",
    "执法人员现场发现车牌号为{plate}的货车正在向路边倾倒建筑垃圾，驾驶人{name}无法提供消纳证明。",
    "当事人驾驶{plate}小型普通客车在人行道上摆摊售卖水果。",
    "涉案车辆{plate}（新能源）停放于消防通道内，车主{name}经电话（{phone}）通知后到场。",
    "经询问，当事人{pname}自述{health}，执法人员依法告知其可以委托他人代为陈述申辩。",
    "当事人之母{name}年逾七十，{health}，长期卧床，当事人系家中唯一劳动力。",
    "当事人提交的情况说明称其本人{health}，无固定收入，申请减免罚款。",
    "当事人称其妻{name}{pregnancy}，家中无人照看，请求宽限拆除期限。",
    "当事人持回乡证（证件号码{id_document}）到场接受询问，联系电话{phone}。",
    "当事人提交了台湾居民来往大陆通行证复印件，号码{id_document}。",
    "被询问人：{name}，国籍：新加坡，护照号码：{id_document}，电子邮箱{email}。",
    "当事人持有残疾人证（证号{id_number}），{health}，依法可以从轻处罚。",
    "当事人系香港居民，港澳居民来往内地通行证号码{id_document}，暂住{address}。",
    "当事人系台湾居民，台胞证号码{id_document}，在{town}经营奶茶店。",
    "当事人为外籍人士，护照号码{id_document}，经营地址为西红门镇宏福路某商铺。",
    "当事人出示港澳台居民居住证，证件号码{id_document}，联系电话{phone}。",
    "当事人户籍地：{address}；现住：{address}。",
    "家住{address}的{name}于{date}在小区绿地内种植蔬菜，经劝阻拒不改正。",
    "经查，当事人居住于{address}，其于{date}将装修垃圾堆放在单元门口。",
    "当事人在{addr_frag}东侧私自接出燃气管道，户主{name}，联系电话{phone}。",
    "{town}{addr_frag}住户未按规定分类投放生活垃圾，经二次劝阻仍不改正。",
    "物业服务人提交的台账显示，{addr_frag}业主{name}拖欠物业费并拒绝配合燃气安全检查。",
    "当事人委托其子{name}（电话：{phone}；身份证：{id_number}）代为办理。",
    "被检查人员{name}自述{health}，现场由其女儿{name}陪同接受询问。",
    "当事人联系方式：电话{phone}，电子邮箱{email}，微信号{wechat}。",
    "经调取监控，{plate}车辆司机{name}于夜间向雨水井倾倒餐厨垃圾。",
    "执法人员向当事人送达《责令改正通知书》，送达地址：{address}，收件人电话：{phone}。",
    "询问笔录：问：你的身份证号？答：{id_number}。问：你的联系电话？答：{phone}。",
    "问：你住在哪儿？答：我住{addr_frag}，在这儿住了五年了。",
    "当事人称该煤气罐系其邻居{name}所有，邻居住在{addr_frag}。",
    "房屋承租人{name}（身份证号{id_number}）承认未经批准改变房屋承重结构。",
    "群众来电反映（来电人：{name}，{phone}），{town}某小区有人占用楼道堆物。",
    "处罚决定书已邮寄送达，邮寄地址：{address}，收件人：{pname}，电话：{phone}。",
    "当事人缴纳罚款的转账记录显示付款账号{bank_account}，付款人{name}。",
    "当事人在小区业主群内公布了其QQ号{qq}及邮箱{email}，招募人员违规收取快递。",
    "清运车辆{plate}的驾驶员{name}（驾驶证号即身份证号{id_number}）未随车携带运输证。",
    "执法记录仪显示，{name}先生（联系电话：{phone}）当场拒绝签字。",
    "当事人在小广告上留有wx：{wechat}、qq：{qq}，用于招揽非法回收燃气钢瓶业务。",
    "经查，当事人使用vx号{wechat}在业主群发布违建施工广告，并留有手机{mobile}。",
    "被举报人{name}、{name}、{name}三人在小区内违规饲养犬只，举报人{name}要求对其信息保密。",
    "当事人{pname}（身份证号{id_number}）的住所地为{address}，其于{date}在住所楼下违规堆放大件垃圾。",
]


def _date(rng):
    y = rng.choice([2024, 2025, 2026])
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", f"{y}.{m}.{d}"])


SLOT_KIND = {"id_number": "id_number", "id_document": "id_document", "phone": "phone",
             "bank_account": "bank_account", "email": "email", "wechat": "im_account",
             "qq": "im_account", "plate": "licence_plate", "address": "address",
             "addr_frag": "address", "health": "health", "pregnancy": "health", "mobile": "phone", "name": "name", "pname": "name"}

KINDS = ["id_number", "id_document", "phone", "bank_account", "email", "im_account",
         "licence_plate", "address", "health", "name"]


def _slot_value(rng, slot, template, pos):
    if slot == "id_number":
        return id_number_value(rng)[0]
    if slot == "id_document":
        # pick a value matching the template's label
        if "港澳居民来往内地通行证" in template or "回乡证" in template:
            return rng.choice([f"H{rng.randint(10**7, 10**8 - 1)}", f"M{rng.randint(10**7, 10**8 - 1)}",
                               f"H{rng.randint(10**9, 10**10 - 1)}"])
        if "台胞证" in template or "台湾居民来往大陆通行证" in template:
            return f"{rng.randint(10**7, 10**8 - 1)}"
        if "护照" in template:
            return rng.choice("EEGPSD") + f"{rng.randint(10**7, 10**8 - 1)}"
        pre = rng.choice(["810000", "820000", "830000"])
        body = pre + birth(rng) + f"{rng.randint(0, 999):03d}"
        return body + id_check_digit(body)
    if slot == "phone":
        v = phone_value(rng)
        # a bare 8-digit local number only after a 电话 label
        before = template[:pos]
        if v.isdigit() and len(v) == 8 and not before.rstrip("：:（( ").endswith(("电话", "联系方式")):
            v = "010-" + v
        return v
    if slot == "mobile":
        m = mobile(rng)
        return rng.choice([m, f"{m[:3]} {m[3:7]} {m[7:]}", fullwidth(m), f"+86 {m}"])
    if slot == "bank_account":
        return bank_value(rng)
    if slot == "email":
        return email_value(rng)
    if slot == "wechat":
        return wechat_id(rng)
    if slot == "qq":
        return qq_value(rng)
    if slot == "plate":
        return plate_value(rng)
    if slot == "address":
        return address_full(rng, spaced=rng.random() < 0.2)
    if slot == "addr_frag":
        return address_fragment(rng)
    if slot == "health":
        return rng.choice(HEALTH_PHRASES)  # (shown, span)
    if slot == "pregnancy":
        return rng.choice(["怀孕七个月", "怀孕五个月", "已怀孕三个月", "怀孕八个月"])
    if slot in ("name", "pname"):
        return name_value(rng)
    raise KeyError(slot)


def _fill(rng, template, party_ctx=False):
    import re
    out, spans, last = [], [], 0
    used_names = set()
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[last:m.start()])
        slot = m.group(1)
        if slot == "date":
            val = _date(rng)
        elif slot == "town":
            val = rng.choice(TOWNS)
        else:
            for _ in range(20):
                val = _slot_value(rng, slot, template, m.start())
                if slot not in ("name", "pname") or val not in used_names:
                    break
            used_names.add(val)
            shown, span = (val if isinstance(val, tuple) else (val, val))
            spans.append({"kind": SLOT_KIND[slot], "value": span})
            val = shown
        out.append(val)
        last = m.end()
    out.append(template[last:])
    text = "".join(out)
    # drop duplicate span values (each value listed once)
    seen, uniq = set(), []
    for s in spans:
        if s["value"] not in seen:
            seen.add(s["value"])
            uniq.append(s)
    return text, uniq


# ------------------------------------------------ party-context variants
def _respell(rng, kind, value):
    """Return a different spelling of a known party value."""
    if kind == "id_number":
        return rng.choice([fullwidth(value), f"{value[:6]} {value[6:14]} {value[14:]}",
                           f"{value[:6]}-{value[6:10]}-{value[10:14]}-{value[14:]}"])
    if kind == "phone":
        return rng.choice([fullwidth(value), f"{value[:3]} {value[3:7]} {value[7:]}",
                           f"{value[:3]}-{value[3:7]}-{value[7:]}", f"+86 {value}", f"{value[:4]} {value[4:8]} {value[8:]}"])
    if kind == "bank_account":
        return rng.choice([" ".join(value[i:i + 4] for i in range(0, len(value), 4)), fullwidth(value),
                           "-".join(value[i:i + 4] for i in range(0, len(value), 4))])
    if kind == "name":
        if "·" in value:
            return value.replace("·", rng.choice(["•", "・", "‧", "."]))
        return rng.choice([" ".join(value), "　".join(value), value[0] + " " + value[1:]])
    if kind == "address":
        return rng.choice([fullwidth(value), value.replace("北京市", "北京市 ", 1).replace("镇", "镇 ", 1),
                           value.replace("北京市", "", 1)])
    raise KeyError(kind)


PARTY_TEMPLATES = [
    ("id_number", "经核对，当事人所持居民身份证号码为{v}，与系统登记信息一致。"),
    ("id_number", "当事人在询问笔录中自报身份证号{v}，并按捺手印。"),
    ("phone", "执法人员于当日拨打当事人手机{v}，告知其陈述申辩权利。"),
    ("phone", "当事人留存的联系电话为{v}，经多次拨打无人接听。"),
    ("bank_account", "当事人申请退还保证金至其本人账户{v}。"),
    ("bank_account", "罚没款收据记载付款账号：{v}。"),
    ("name", "{v}在笔录上签字确认，对违法事实无异议。"),
    ("name", "当事人{v}的委托代理人出具了授权委托书。"),
    ("address", "执法人员前往{v}进行现场复查，违建已自行拆除。"),
    ("address", "文书送达至当事人住所{v}，由其本人签收。"),
]


def _party_case(rng):
    name = name_value(rng)
    while "·" in name and rng.random() < 0.5:
        name = name_value(rng)
    party = {"name": name, "id_number": id18(rng), "phone": mobile(rng),
             "address": address_full(rng).translate(str.maketrans("０１２３４５６７８９", "0123456789")),
             "account": luhn_complete(rng.choice(BANK_BINS) + f"{rng.randint(0, 10**12 - 1):012d}")}
    kind, tpl = rng.choice(PARTY_TEMPLATES)
    key = "account" if kind == "bank_account" else kind
    v = _respell(rng, kind, party[key])
    if v == party[key]:
        v = fullwidth(v) if kind != "name" else " ".join(v)
    text = tpl.format(v=v)
    ctx = {"party": party}
    if rng.random() < 0.5:
        text += "监督电话：010-69256789。"
        ctx["keep"] = ["010-69256789"]
    return {"text": text, "spans": [{"kind": kind, "value": v}], "context": ctx}


def _clean(text, spans):
    """Each span value must not hide inside another span or inside non-personal text."""
    rest = text
    for s in sorted(spans, key=lambda s: -len(s["value"])):
        rest = rest.replace(s["value"], "\u0000")
    return not any(s["value"] in rest for s in spans) and all(
        a["value"] not in b["value"] for a in spans for b in spans if a is not b)


def positives(n: int = 1200) -> list[dict]:
    rng = random.Random(SEED_POS)
    by_kind = {k: [t for t in POS_TEMPLATES if any("{" + s + "}" in t for s, kk in SLOT_KIND.items() if kk == k)]
               for k in KINDS}
    out = []
    for i in range(n):
        if i % 12 == 11:
            out.append(_party_case(rng))
            continue
        kind = KINDS[i % len(KINDS)]
        tpl = rng.choice(by_kind[kind])
        for _ in range(20):
            text, spans = _fill(rng, tpl)
            if _clean(text, spans):
                break
        rec = {"text": text, "spans": spans}
        if rng.random() < 0.3:
            rec["context"] = {"keep": ["王志强", "11011502019", "010-69256789"]}
            extra = rng.choice(["执法人员：王志强（执法证号11011502019）。", "监督电话：010-69256789。"])
            if _clean(text + extra, spans):
                rec["text"] += extra
        out.append(rec)
    return out


# ------------------------------------------------------------ negatives
CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"
ART_NUM = ["第二条", "第五条", "第九条", "第十二条", "第二十七条", "第三十条", "第三十三条", "第五十一条",
           "第五十九条", "第六十条", "第七十条", "第六十三条", "第三十六条", "第二十四条", "第四十八条"]
LAWS = ["《北京市燃气管理条例》", "《北京市生活垃圾管理条例》", "《北京市物业管理条例》", "《中华人民共和国行政处罚法》",
        "《北京市文明行为促进条例》", "《城镇燃气管理条例》", "《中华人民共和国行政强制法》", "《中华人民共和国政府信息公开条例》"]
COMPANIES = ["北京某某餐饮有限公司", "北京宏福物业管理有限公司", "北京兴旺燃气设备有限公司", "北京鑫盛达建筑工程有限公司",
             "西红门镇宏福苑社区居民委员会", "北京大兴区某某小吃店", "北京市大兴区西红门镇人民政府", "北京金福源商贸有限责任公司",
             "北京绿洁再生资源回收有限公司", "北京润泽物业服务有限公司"]
OFFICERS = ["王志强", "刘洋", "孙海涛", "赵静", "李明轩", "陈立伟", "周晓燕", "马骏"]


def _cn_amount(n):
    str(n)
    out = ""
    if n >= 10000:
        w = n // 10000
        out += _cn_amount_small(w) + "万"
        n %= 10000
        if 0 < n < 1000:
            out += "零"
    if n:
        out += _cn_amount_small(n)
    return out + "元整"


def _cn_amount_small(n):
    units = ["仟", "佰", "拾", ""]
    s = f"{n:04d}"
    out, zero = "", False
    for c, u in zip(s, units, strict=False):
        if c == "0":
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += CN_DIGITS[int(c)] + u
    return out


def negatives(n: int = 600) -> list[dict]:
    rng = random.Random(SEED_NEG)
    gens = []

    def g(note):
        def deco(f):
            gens.append((note, f))
            return f
        return deco

    @g("decision_number")
    def _(r):
        y = r.choice([2024, 2025, 2026])
        num = r.choice([f"第{r.randint(1, 999):04d}号", f"第{r.randint(1, 999)}号", f"{r.randint(1, 999):03d}号"])
        br = r.choice([("〔", "〕"), ("[", "]"), ("（", "）"), ("【", "】")])
        pre = r.choice(["京兴西罚字", "京大兴城管罚字", "京兴西责改字", "兴西执法决字", "京兴西不罚字", "京大兴西红门罚告字"])
        return r.choice(["现作出{d}行政处罚决定书。", "依据{d}责令改正通知书，当事人应于七日内改正。", "本决定书编号：{d}。"]).format(d=f"{pre}{br[0]}{y}{br[1]}{num}"), {}

    @g("article_citation")
    def _(r):
        law = r.choice(LAWS)
        art = r.choice(ART_NUM)
        kuan = r.choice(["", "第一款", "第二款", "第一款第（三）项", "第三项"])
        return r.choice(["依据{l}{a}{k}之规定，决定给予警告。", "当事人的行为违反了{l}{a}{k}的规定。",
                         "根据{l}{a}{k}，责令当事人立即改正。"]).format(l=law, a=art, k=kuan), {}

    @g("amount")
    def _(r):
        amt = r.choice([200, 500, 1000, 2000, 3000, 5000, 20000, 30000, 50000, 100000, 12000, 1500])
        return r.choice([f"决定对当事人处以罚款{amt}元（人民币{_cn_amount(amt)}）。",
                         f"罚款人民币{_cn_amount(amt)}，于十五日内缴纳。",
                         f"涉案金额共计{amt // 1000},{r.randint(0, 999):03d}.{r.randint(0, 99):02d}元。",
                         f"罚款{amt / 10000:g}万元，没收违法所得{r.randint(100, 9999)}元。"]), {}

    @g("date_time")
    def _(r):
        y, m, d = r.choice([2025, 2026]), r.randint(1, 12), r.randint(1, 28)
        h, mi = r.randint(8, 18), r.randint(0, 59)
        return r.choice([f"{y}年{m}月{d}日{h}时{mi}分，执法人员到达现场。", f"检查时间：{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}至{h + 1:02d}:{mi:02d}。",
                         f"落款日期{y}.{m}.{d}。", f"立案日期：{y}{m:02d}{d:02d}；结案日期：{y}{m:02d}{min(d + 20, 28):02d}。"]), {}

    @g("officer_credential_keep")
    def _(r):
        a, b = r.sample(OFFICERS, 2)
        ca, cb = f"110115{r.randint(10000, 99999)}", f"110115{r.randint(100000, 999999)}"
        return f"执法人员{a}（执法证号：{ca}）、{b}（执法证号：{cb}）出示了执法证件。", {"keep": [a, ca, b, cb]}

    @g("uscc_valid")
    def _(r):
        code = make_uscc(r, r.choice(["110115", "110106", "110105", "110108"]))
        comp = r.choice(COMPANIES)
        return r.choice([f"当事人：{comp}，统一社会信用代码：{code}。", f"{comp}（统一社会信用代码{code}）未按规定设置分类收集容器。"]), {}

    @g("business_licence_number")
    def _(r):
        # 7th digit 0 and an impossible month in positions 9-10, so it cannot be read as a 15-digit ID
        body = "1101150" + str(r.randint(0, 9)) + str(r.randint(2, 9)) + f"{r.randint(0, 10**5 - 1):05d}"
        reg = body + regno_check(body)
        return f"营业执照注册号：{reg}，经营场所位于西红门镇宏福路某号底商。", {}

    @g("agency_contact_keep")
    def _(r):
        ph = r.choice(["010-69256789", "010-60256110", "010-61256312", "(010)69258800"])
        addr = "北京市大兴区宏福路1号"
        return r.choice([f"监督电话：{ph}。", f"如对本决定不服，可来电咨询，电话{ph}，地址：{addr}。",
                         f"受理机关地址：{addr}；联系电话：{ph}。"]), {"keep": [ph, addr]}

    @g("role_word_not_name")
    def _(r):
        return r.choice(["证人应当如实作证，不得作伪证。", "举报人的合法权益受法律保护。", "当事人陈述申辩，执法人员应当充分听取。",
                         "证人证言经当事人核对无误。", "见证人应当在笔录上签名。", "举报人要求对其身份信息予以保密。",
                         "当事人有权进行陈述和申辩。", "保洁员应当按照分类要求收运垃圾。", "房东应当督促承租人遵守消防安全规定。",
                         "其妻子未到场。", "证人证实了上述事实。", "当事人对证人证言无异议。"]), {}

    @g("measurement_count")
    def _(r):
        return r.choice([f"建筑面积{r.randint(20, 300)}平方米，共{r.randint(1, 6)}层。", f"本次共检查{r.randint(3, 40)}家餐饮单位，发现隐患{r.randint(1, 9)}处。",
                         f"系当事人第{r.randint(2, 5)}次违法。", f"违建长{r.randint(3, 20)}米、宽{r.randint(2, 8)}米、高{r.randint(2, 4)}.{r.randint(0, 9)}米。",
                         f"现场查扣液化石油气钢瓶{r.randint(2, 30)}个（15公斤装）。"]), {}

    @g("reference_number_not_phone")
    def _(r):
        y, m, d = 2026, r.randint(1, 12), r.randint(1, 28)
        return r.choice([f"编号{y}{m:02d}{d:02d}{r.randint(1, 999):03d}", f"案件编号A{y}{m:02d}{d:02d}{r.randint(0, 99999):05d}",
                         f"批次号：{r.choice('BLP')}{y}{m:02d}{r.randint(1000, 9999)}", f"工单号{y}{m:02d}{d:02d}{r.randint(10000, 99999)}",
                         f"12345热线工单编号：{y}{m:02d}{d:02d}{r.randint(1000000, 9999999)}"]) + "，已录入系统。", {}

    @g("url")
    def _(r):
        return r.choice(["详见北京市大兴区人民政府网站 http://www.bjdx.gov.cn/ 。", "可登录 https://www.beijing.gov.cn 查询。",
                         "公示网址：http://www.gsxt.gov.cn", "信息公开平台：https://zfxxgk.beijing.gov.cn/110115/"]), {}

    @g("model_number")
    def _(r):
        return r.choice([f"燃气报警器型号JT-AEC2232{r.choice('ABC')}", f"软管型号BF-{r.randint(100, 999)}，长度1.5米",
                         f"燃气灶型号JZT-2-{r.randint(10, 99)}B", f"执法记录仪编号DSJ-{r.randint(10000, 99999)}"]) + "。", {}

    @g("already_masked")
    def _(r):
        s = r.choice(SURNAMES)
        return r.choice([f"当事人{s}某，身份证号1101**********{r.randint(1000, 9999)}。", f"当事人{s}某某于当日到场接受询问。",
                         f"联系电话：138****{r.randint(1000, 9999)}。", f"证人{s}某在场。", "住址：北京市大兴区西红门镇******。",
                         f"车牌号京A·***{r.randint(10, 99)}。", f"账号：6222 **** **** {r.randint(1000, 9999)}。"]), {}

    @g("organisation_party")
    def _(r):
        comp = r.choice(COMPANIES)
        return r.choice([f"{comp}在经营场所使用的燃气软管超过使用年限，未安装燃气泄漏报警装置。",
                         f"当事人{comp}未按规定公示物业服务事项。", f"经查，{comp}存在未分类投放生活垃圾的行为。"]), {}

    @g("health_word_not_personal")
    def _(r):
        return r.choice(["社区开展高血压防治宣传活动，发放宣传册{k}份。", "餐饮从业人员应当持有有效健康证明，本次抽查{k}人。",
                         "精神病人在不能辨认自己行为时有违法行为的，不予行政处罚。", "西红门镇残疾人联合会协助核实{k}户困难家庭信息。",
                         "孕妇、老人、儿童应远离燃气泄漏区域。"]).format(k=r.randint(20, 300)), {}

    @g("masked_placeholder_name")
    def _(r):
        s1, s2 = r.sample(SURNAMES, 2)
        return r.choice([f"证人：{s1}某、{s2}某某。", f"被询问人：{s1}某某，{r.randint(1950, 2000)}年出生。",
                         f"当事人（自然人）{s1}某，经营地址西红门镇宏福路某号。", f"举报人{s1}女士、{s2}先生要求对其信息保密。"]), {}

    @g("public_place")
    def _(r):
        return r.choice(["在西红门镇宏福路与欣宁街交叉口东南角发现占道经营{k}处。", "地铁4号线西红门站B口外发现流动摊贩{k}名。",
                         "宏福苑小区共有楼房32栋，本次检查楼道{k}个。", "京开高速西红门桥下辅路遗撒建筑垃圾约{k}米。"]).format(k=r.randint(2, 60)), {}

    max(1, n // len(gens))
    out = []
    i = 0
    while len(out) < n:
        note, f = gens[i % len(gens)]
        text, ctx = f(rng)
        rec = {"text": text, "note": note}
        if ctx:
            rec["context"] = ctx
        out.append(rec)
        i += 1
    return out


def _check(pos, neg):
    problems = []
    for r in pos:
        for s in r["spans"]:
            if s["value"] not in r["text"]:
                problems.append(("missing", r))
    return problems


if __name__ == "__main__":
    P, N = positives(), negatives()
    kinds = Counter(s["kind"] for r in P for s in r["spans"])
    print("positive records:", len(P), "spans:", sum(kinds.values()))
    for k in KINDS:
        print(f"  {k:15s}{kinds[k]:5d}")
    print("templates:", len(POS_TEMPLATES) + len(PARTY_TEMPLATES))
    print("negative records:", len(N))
    for k, v in Counter(r["note"] for r in N).items():
        print(f"  {k:30s}{v:5d}")
    print("problems:", len(_check(P, N)))
