"""Masking personal information, in structured fields and in free text (DOMAIN.md, "Masking")."""

from enforcement.core.masking import luhn_ok, mask_person_name, mask_text, scan, valid_id_number

ID = "11010519491231002X"  # a valid check character
CARD = "6222020200112233445"


def test_party_names_keep_the_surname():
    assert mask_person_name("张三") == "张某"
    assert mask_person_name("王秀英") == "王某"
    assert mask_person_name("欧阳明") == "欧阳某"
    assert mask_person_name("司马相如") == "司马某"


def test_id_numbers_are_recognised_by_their_check_character():
    assert valid_id_number(ID)
    assert not valid_id_number("110105194912310021")
    text = f"身份证号{ID}；编号110105194912310021不是身份证"
    kinds = [(f.kind, f.value) for f in scan(text)]
    assert ("id_number", ID) in kinds
    assert "110105194912310021" not in mask_text("身份证号码：110105194912310021")  # labelled: hidden anyway


def test_mobile_and_landline_numbers_are_hidden():
    text = "联系电话13912345678，座机010-69212345，另一号码 139 1234 5678，（010）60251234"
    masked = mask_text(text)
    for value in ("13912345678", "69212345", "139 1234 5678", "60251234"):
        assert value not in masked


def test_bank_accounts_are_hidden_by_luhn_or_label():
    assert luhn_ok("4539578763621486")
    masked = mask_text(f"通过银行卡{CARD}缴款，开户账号：0200 0045 0901 2345 678")
    assert CARD not in masked and "0901" not in masked


def test_home_addresses_are_hidden_in_free_text():
    text = "当事人现住北京市大兴区西红门镇金星小区3号楼2单元501室，经营地址不在此处。"
    masked = mask_text(text)
    assert "501室" not in masked and "金星小区3号楼" not in masked
    assert "[住址已隐去]" in masked


def test_known_private_address_is_hidden_wherever_it_appears():
    masked = mask_text("在宏福苑南门附近发现", addresses=["宏福苑南门"])
    assert "宏福苑南门" not in masked


def test_witnesses_and_relatives_are_fully_hidden():
    masked = mask_text("证人李四在场作证，其妻王芳签字确认。", names=["李四"])
    assert "李四" not in masked and "王芳" not in masked
    assert "证人某某" in masked


def test_the_party_keeps_the_surname_in_free_text():
    assert mask_text("当事人张三对事实无异议", party_names=["张三"]) == "当事人张某对事实无异议"


def test_values_confirmed_public_are_kept():
    text = "举报电话010-69212345"
    assert "010-69212345" in mask_text(text, keep=["010-69212345"])


def test_organisation_credit_codes_are_not_mistaken_for_private_data():
    text = "北京京南餐饮有限公司（统一社会信用代码91110115MA01ABCD3Q）"
    assert mask_text(text) == text


def test_plain_text_passes_unchanged():
    text = "经查，当事人未安装燃气泄漏报警装置，违反了《北京市燃气管理条例》第二十七条的规定，罚款人民币20,000元。"
    assert mask_text(text) == text
