"""The demo town's standing data: 西红门镇, its agencies, officers, users, procedures, inspection list."""

from __future__ import annotations

import random
from datetime import date, timedelta

from enforcement.demo.names import COMPOUND, GIVEN, SURNAMES

TODAY = date(2026, 11, 28)  # the demo is generated as of this day, so it never changes

TOWN_GOV = "11110115MB1C435893"  # check characters per GB 32100-2015
ENFORCEMENT_TEAM = "12110115MB0X76251M"
SAFETY_TEAM = "12110115MB1D29374J"

AGENCIES = [
    {
        "name": "北京市大兴区西红门镇人民政府",
        "credit_code": TOWN_GOV,
        "legal_status": "statutory",
        "duties": "依据《北京市人民政府关于向街道乡镇下放部分行政执法职权并实行综合执法的决定》，自2020年7月1日起以"
                  "本镇名义行使城市管理、生态环境、水务、农业农村、卫生健康等领域下放的431项行政执法职权，"
                  "重点开展燃气安全、生活垃圾分类、物业管理、文明行为促进等专项执法。",
        "address": "北京市大兴区西红门镇宏福路1号",
        "phone": "010-60251234",
        "supervision_phone": "010-60259876",
        "supervision_channels": "12345市民服务热线；镇纪委监督电话010-60259876；来信寄至北京市大兴区西红门镇宏福路1号"
                                "镇法治办（邮编102614）；镇政府门户网站“政民互动”栏目。",
        "reconsideration_body": "北京市大兴区人民政府",
        "reconsideration_days": 60,
        "litigation_court": "北京市大兴区人民法院",
        "litigation_months": 6,
        "entrusted_by": "",
    },
    {
        "name": "北京市大兴区西红门镇综合行政执法队",
        "credit_code": ENFORCEMENT_TEAM,
        "legal_status": "entrusted",
        "duties": "以西红门镇人民政府名义具体承担综合行政执法工作：日常巡查、立案调查、作出处罚建议、执行，"
                  "开展燃气专项执法和“双随机、一公开”监管。",
        "address": "北京市大兴区西红门镇欣宁街15号",
        "phone": "010-60253300",
        "supervision_phone": "010-60259876",
        "supervision_channels": "12345市民服务热线；镇纪委监督电话010-60259876；执法队投诉信箱（欣宁街15号一层）。",
        "reconsideration_body": "北京市大兴区人民政府",
        "reconsideration_days": 60,
        "litigation_court": "北京市大兴区人民法院",
        "litigation_months": 6,
        "entrusted_by": "北京市大兴区西红门镇人民政府",
    },
    {
        "name": "北京市大兴区西红门镇安全生产检查队",
        "credit_code": SAFETY_TEAM,
        "legal_status": "entrusted",
        "duties": "受大兴区应急管理局委托，对辖区生产经营单位开展安全生产检查，配合开展燃气安全专项检查。",
        "address": "北京市大兴区西红门镇宏福路1号",
        "phone": "010-60258800",
        "supervision_phone": "010-69243114",
        "supervision_channels": "12345市民服务热线；大兴区应急管理局监督电话010-69243114。",
        "reconsideration_body": "北京市大兴区人民政府",
        "reconsideration_days": 60,
        "litigation_court": "北京市大兴区人民法院",
        "litigation_months": 6,
        "entrusted_by": "北京市大兴区应急管理局",
    },
]


def person_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.03 else rng.choice(SURNAMES)
    return surname + rng.choice(GIVEN)


def id_number(rng: random.Random, birth_year_range=(1960, 2000)) -> str:
    """A resident ID with a valid check character (北京市大兴区 area code 110115)."""
    from stdnum.cn import ric

    birth = date(rng.randint(*birth_year_range), 1, 1) + timedelta(days=rng.randint(0, 364))
    body = f"110115{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def officers(rng: random.Random) -> list[dict]:
    """~30 officers; a few credentials expired, a few expiring within 60 days of the demo day."""
    result = []
    used = set()
    for i in range(30):
        name = person_name(rng)
        while name in used:
            name = person_name(rng)
        used.add(name)
        # Credentials predate the first demo decision (2019) and run for years, as renewed credentials do.
        issued = date(2016 + i % 3, 1 + i % 12, 1 + i % 27)
        expires = date(issued.year + 11, issued.month, issued.day) if i % 5 else date(2030, 6, 30)
        status = "valid"
        if i in (3, 17):
            expires = TODAY - timedelta(days=40 + i)  # expired
        elif i in (8, 22):
            expires = TODAY + timedelta(days=20 + i)  # expiring within 60 days
        elif i == 26:
            status = "suspended"
        agency = ENFORCEMENT_TEAM if i < 24 else (SAFETY_TEAM if i < 28 else TOWN_GOV)
        result.append({
            "name": name,
            "agency_credit_code": agency,
            "credential_number": f"1101150{20190 + i * 37:05d}",
            "category": "安全生产" if agency == SAFETY_TEAM else "综合执法",
            "credential_issued_on": issued,
            "credential_expires_on": expires,
            "status": status,
            "has_legal_qualification": i in (28, 29),
            "phone": mobile(rng),
            "id_number": id_number(rng, (1970, 1998)),
        })
    return result


PROCEDURES = [
    ("LC-01", "行政处罚一般程序", ENFORCEMENT_TEAM, "西红门镇综合行政执法队", "西红门镇人民政府", "发现违法行为，符合立案条件",
     "自立案之日起九十日内作出决定",
     ["立案：发现违法行为线索，经执法队负责人批准立案", "调查取证：两名以上执法人员出示执法证件，全程记录", "案件审核：承办机构审核",
      "法制审核：重大执法决定经法制审核通过", "告知：告知拟处罚内容及陈述、申辩、听证权利", "集体讨论或负责人决定",
      "送达：七日内送达处罚决定书", "执行：当事人十五日内缴纳罚款", "公示：七个工作日内公示", "结案归档"]),
    ("LC-02", "行政处罚简易程序（当场处罚）", ENFORCEMENT_TEAM, "西红门镇综合行政执法队", "执法人员当场决定",
     "违法事实确凿，对公民处二百元以下、对组织处三千元以下罚款或者警告", "当场作出",
     ["出示证件：执法人员表明身份", "告知：告知违法事实、处罚理由和依据及陈述申辩权利", "听取陈述申辩", "填写决定书：当场交付当事人",
      "备案：报所属行政机关备案"]),
    ("LC-03", "行政强制措施（查封、扣押）", ENFORCEMENT_TEAM, "西红门镇综合行政执法队", "西红门镇人民政府",
     "为制止违法行为、防止证据损毁、避免危害发生", "查封扣押期限不超过三十日",
     ["报批：实施前向行政机关负责人报告并经批准", "实施：两名以上执法人员实施，通知当事人到场", "制作现场笔录并全程音像记录",
      "交付查封扣押决定书和清单", "作出处理决定：解除或依法处理"]),
    ("LC-04", "燃气安全检查", ENFORCEMENT_TEAM, "西红门镇综合行政执法队", "西红门镇人民政府",
     "列入年度检查计划或“双随机”抽取的非居民燃气用户", "检查结束后二十个工作日内公示结果",
     ["制定检查计划", "随机抽取检查对象和执法人员", "实施检查：检查燃气燃烧器具、连接管、报警装置",
      "责令改正：发现问题当场下达责令改正通知书", "复查", "公示检查结果"]),
    ("LC-05", "听证程序", TOWN_GOV, "西红门镇法治办", "西红门镇人民政府", "拟作出较大数额罚款、吊销许可证件、责令停产停业等决定，当事人要求听证",
     "当事人告知后五个工作日内提出申请",
     ["申请：当事人五日内提出听证要求", "通知：举行听证七日前通知时间地点", "举行听证：由非本案调查人员主持",
      "制作听证笔录", "依据听证笔录作出决定"]),
    ("LC-06", "生活垃圾分类检查", ENFORCEMENT_TEAM, "西红门镇综合行政执法队", "西红门镇人民政府",
     "生活垃圾分类管理责任人", "检查结束后二十个工作日内公示结果",
     ["制定检查计划", "现场检查分类容器设置、台账和排放登记", "发现问题责令立即改正", "对拒不改正的立案查处", "公示检查结果"]),
]

# Articles are numbered as in the versions in force on TODAY (生活垃圾管理条例: the 2020-09-25 text, where the
# inserted art. 27 moved every later article up by one). INSPECTION_BASIS_KEYWORDS holds, per item, a phrase
# each cited article must contain, so a renumbering fails the citation tests instead of pointing elsewhere.
INSPECTION_ITEMS = [
    (1, "燃气安全检查", "非居民用户燃气燃烧器具、连接管及燃气泄漏报警装置", "《北京市燃气管理条例》第二十七条、第五十九条",
     "现场检查", "是否安装、使用符合要求的燃气燃烧器具、连接管和燃气泄漏报警装置", "重点检查餐饮场所"),
    (2, "燃气安全检查", "非居民用户禁止性行为", "《北京市燃气管理条例》第三十条、第六十条", "现场检查",
     "是否存在擅自改装燃气设施、使用不合格气瓶等十二类禁止行为", ""),
    (3, "燃气安全检查", "瓶装液化石油气供应站", "《北京市燃气管理条例》第二十条、第七十条", "现场检查、书面检查",
     "供应站经营许可、气瓶充装和配送记录", ""),
    (4, "生活垃圾分类检查", "分类管理责任人责任落实", "《北京市生活垃圾管理条例》第三十六条、第六十九条", "现场检查",
     "是否设置分类收集容器、开展分类指导", ""),
    (5, "生活垃圾分类检查", "排放登记和管理台账", "《北京市生活垃圾管理条例》第三十八条、第七十条", "书面检查",
     "是否办理排放登记、建立管理台账", ""),
    (6, "生活垃圾分类检查", "餐饮服务单位厨余垃圾", "《北京市生活垃圾管理条例》第四十八条、第七十四条", "现场检查",
     "厨余垃圾是否交由有资质单位收运", ""),
    (7, "生活垃圾分类检查", "一次性用品提供", "《北京市生活垃圾管理条例》第二十六条、第六十六条", "现场检查",
     "餐饮经营者、旅馆是否主动提供一次性用品", ""),
    (8, "物业管理检查", "物业服务人履行义务", "《北京市物业管理条例》相关条款", "现场检查、书面检查",
     "是否公开服务事项、收费标准，是否履行安全防范义务", ""),
    (9, "文明行为检查", "公共场所文明行为", "《北京市文明行为促进条例》相关条款", "现场检查", "公共场所不文明行为治理", ""),
    (10, "建筑垃圾检查", "建设工程建筑垃圾处理", "《北京市生活垃圾管理条例》第四十七条、第七十三条", "现场检查",
     "建筑垃圾是否按规定处理、运输", ""),
]


INSPECTION_BASIS_KEYWORDS = {
    1: ["燃气泄漏报警装置", "燃气泄漏报警装置"],
    2: ["禁止在燃气使用中有下列行为", "本条例第三十条规定情形"],
    3: ["用气环境进行安全检查", "乡镇人民政府相对集中行使行政处罚权"],
    4: ["生活垃圾分类管理责任人应当遵守下列规定", "生活垃圾分类管理责任人违反本条例第三十六条"],
    5: ["生活垃圾排放登记", "未办理生活垃圾排放登记"],
    6: ["厨余垃圾", "收集、处理厨余垃圾"],
    7: ["一次性筷子", "主动向消费者提供一次性用品"],
    10: ["建筑垃圾交由有资质的运输单位", "处理建筑垃圾"],
}


def procedure_records() -> list[dict]:
    return [
        {"code": code, "item": item, "agency_credit_code": agency, "receiving_office": receiving,
         "approving_office": approving, "conditions": conditions, "time_limit": limit, "steps": steps}
        for code, item, agency, receiving, approving, conditions, limit, steps in PROCEDURES
    ]


def inspection_item_records() -> list[dict]:
    return [
        {"code": f"XHM-SJ-{seq:03d}", "seq": seq, "item": item, "sub_item": sub, "agency_credit_code": ENFORCEMENT_TEAM,
         "basis": basis, "method": method, "content": content, "remark": remark}
        for seq, item, sub, basis, method, content, remark in INSPECTION_ITEMS
    ]


DEMO_USERS = [
    # username, password, roles, display name, officer index (None: not an officer), legal qualification
    ("officer", "officer-demo-2021", ["officer"], "执法队员（演示）", 0, False),
    ("officer2", "officer-demo-2021", ["officer"], "执法队员二（演示）", 1, False),
    ("reviewer", "reviewer-demo-2021", ["reviewer"], "法制审核员（演示）", 28, True),
    ("supervisor", "supervisor-demo-2021", ["supervisor"], "监督员（演示）", None, False),
    ("admin", "admin-demo-2021", ["admin"], "系统管理员（演示）", None, False),
]
