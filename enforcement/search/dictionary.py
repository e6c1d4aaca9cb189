"""Domain words jieba must keep whole, so ranking and phrase queries see them as one token.

Matching does not depend on this list (character bigrams give "contains"
semantics); it decides how a citizen's query is cut into required words and
which documents rank first. Add a word here when a query splits it badly.
Synonyms live in one editable data file, ``enforcement/data/search/synonyms.txt``.
"""

from pathlib import Path

DOMAIN_WORDS: tuple[str, ...] = (
    # The three systems and the procedure vocabulary.
    "行政执法", "行政处罚", "行政许可", "行政检查", "行政强制", "行政征收", "行政确认", "行政复议", "行政诉讼",
    "执法公示", "执法全过程记录", "重大执法决定", "法制审核", "行政执法三项制度", "执法证", "执法证号", "执法人员",
    "执法主体", "综合执法", "综合行政执法", "执法队", "安全生产执法队", "城市管理", "城管执法",
    "处罚决定", "处罚决定书", "决定书", "责令改正", "责令限期改正", "责令立即改正", "限期改正", "责令停产停业",
    "责令停业整顿", "停业整顿", "责令关闭", "没收违法所得", "没收非法财物", "吊销许可证件", "降低资质等级",
    "通报批评", "警告", "罚款", "暂扣", "查封", "扣押", "简易程序", "普通程序", "听证", "陈述申辩",
    "裁量基准", "自由裁量", "首违不罚", "职权清单", "权责清单", "随机抽查", "双随机", "一公开", "抽查事项",
    "检查对象", "统一社会信用代码", "信用代码", "信用修复", "公示期", "撤回公示", "现场笔录", "音像记录",
    # Gas safety (北京市燃气管理条例).
    "燃气", "燃气管理", "燃气泄漏", "燃气泄漏报警装置", "燃气报警器", "报警装置", "报警器", "燃气器具",
    "燃气用户", "非居民用户", "居民用户", "瓶装燃气", "液化石油气", "液化气", "钢瓶", "燃气管道", "连接管",
    "燃气安全", "燃气设施", "燃气经营", "餐饮企业", "餐饮服务",
    # Household waste, property, civilised behaviour, market order.
    "生活垃圾", "垃圾分类", "生活垃圾分类", "厨余垃圾", "可回收物", "有害垃圾", "其他垃圾", "建筑垃圾",
    "分类投放", "分类收集", "分类运输", "垃圾桶", "物业管理", "物业服务", "物业服务人", "业主大会",
    "业主委员会", "群租房", "地下室", "违法建设", "违章建筑", "占道经营", "店外经营", "户外广告",
    "乱贴乱画", "随地吐痰", "文明行为", "不文明行为", "大气污染", "露天烧烤", "扬尘", "渣土", "噪声",
    "油烟", "油烟净化", "无照经营", "食品安全", "安全隐患", "消防安全", "安全生产", "个人信息",
    "政府信息公开", "信息公开", "当事人", "违法行为", "法律依据", "违法事实",
    # The town.
    "西红门镇", "西红门", "大兴区", "西红门地区办事处", "宏福路",
)

SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "data" / "search" / "synonyms.txt"


def load_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, tuple[str, ...]]:
    """The editable synonym file: ``citizen word = record word, record word`` per line, # comments.

    A clause is satisfied by its own text or any of the record words. Raises ValueError naming the line
    for a line without ``=`` or without words on either side.
    """
    synonyms: dict[str, tuple[str, ...]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, sep, targets = line.partition("=")
        others = tuple(t.strip() for t in targets.replace("，", ",").split(",") if t.strip() and t.strip() != word.strip())
        if not sep or not word.strip() or not (others or targets.strip()):
            raise ValueError(f"{path.name} line {n}: expected 'word = word, word'")
        synonyms[word.strip()] = others
    return synonyms


# What citizens say → how the statutes and decisions say it (edit the data file, not this module).
SYNONYMS: dict[str, tuple[str, ...]] = load_synonyms()
