"""The catalog: which Faker providers a preset may name, and how big their arguments may be.

A preset is data that may come from anyone, and a `faker` field hands a name to Faker, which looks
it up with getattr: `seed_instance` would reseed the generator mid-block (rows would then depend on
scheduling) and `__init__` would rebuild it. So only the names vetted here are providers, whether
named by `provider`, by a `{{token}}` in a format argument (pystr_format, dsv, json, ...) or by a
type name (pylist's value_types): each is a public Faker provider method that returns a plain value
(text, a number, a date) or a list, tuple, set, dict or generator of them, which designer writes as
JSON text. The rest are REFUSED, each with the one-line reason a user reads.

ALLOWED is the union over Faker's locales (a locale offers those of its own providers it has), as
of the Faker version in pyproject.toml; tests/engine/test_faker_safety.py fails when Faker adds or
drops a public name, so a new method is vetted before a preset can call it.
"""

from __future__ import annotations

_PLUMBING = "Faker's own machinery, not a provider: it reads or changes the generator's state"
_BUILDING_BLOCK = 'a building block of Faker\'s providers that draws from Python values; use kind = "choice"'

REFUSED: dict[str, str] = {
    **{name: _PLUMBING for name in (
        "add_provider", "del_arguments", "format", "get_arguments", "get_formatter", "get_providers", "parse",
        "provider", "random", "seed", "seed_instance", "seed_locale", "set_arguments", "set_formatter")},
    **{name: _BUILDING_BLOCK for name in (
        "random_choices", "random_element", "random_elements", "random_sample")},
    "enum": "needs a Python Enum class, which a preset cannot give; use kind = \"choice\"",
    "pyobject": "needs a Python type (object_type), which a preset cannot give, and is null without one; "
                "pystr, pyint, pylist, pydict, ... name the type",
    "image": "makes image files (bytes, and the Pillow library); a column holds no images",
    "xml": "needs the xmltodict library, which designer does not ship; json gives the same shapes as text",
    "binary": "gives 1 MiB of raw bytes a row by default; hexify or pystr give random text",
    "json_bytes": "gives the json provider's text as bytes; use json",
    "tar": "makes tar archives (bytes of files); a column holds no files",
    "zip": "makes zip archives (bytes of files); a column holds no files",
}
"""Public names Faker has that no preset may call, and why."""

TEXT_VALUES = frozenset({"random_digit_or_empty", "random_digit_not_null_or_empty"})
"""Providers whose values mix types (a digit or ""): written as text in every row, so that every
block of the field has one column type."""

GIVES_NULL = frozenset({"null_boolean"})
"""Providers whose values include null (None a third of the time): their columns are never NOT NULL."""

ALLOWED: frozenset[str] = frozenset("""
aadhaar_id aba academic_prefix academic_suffix address address_detail administrative_unit am_pm amphoe
android_platform_token ape_code area2_landline_number area_code area_code_with_separator
area_code_without_separator area_name ascii_company_email ascii_email ascii_free_email ascii_safe_email
automobile_license_plate autonomous_community bairro ban bank bank_country basic_phone_number
bayantel_area2_landline_number bayantel_landline_identifier bban bic birth_number boolean borough bothify
brand_suffix bs building_dong building_name building_name_suffix building_number building_number_segregated
building_number_underground building_prefix building_suffix building_unit_number businesses_inn
businesses_ogrn canton canton_code canton_name catch_phrase catch_phrase_attribute catch_phrase_noun
catch_phrase_verb cedula cellphone_block cellphone_number cellphone_provider_code century checking_account
chome chrome cie cif cin city city_adjective city_name city_name_suffix city_part city_prefix
city_prefix_abbr city_state city_suffix city_with_postcode civil_status civil_status_code civil_status_name
clabe classification_number cnpj color color_hsl color_hsv color_name color_rgb color_rgb_float
common_street_name commune commune_and_region commune_code commune_name commune_prefix company
company_business_id company_category company_cuit company_email company_id company_limited_prefix
company_limited_suffix company_name_word company_prefix company_rut company_suffix company_type company_vat
concelho coordinate correspondent_account country country_calling_code country_code county cpf
credit_card_expire credit_card_full credit_card_number credit_card_provider credit_card_security_code
cryptocurrency cryptocurrency_code cryptocurrency_name csv cuil cuit curp currency currency_code
currency_name currency_symbol current_country current_country_code date date_between date_between_dates
date_object date_of_birth date_this_century date_this_decade date_this_month date_this_year date_time
date_time_ad date_time_between date_time_between_dates date_time_this_century date_time_this_decade
date_time_this_month date_time_this_year day_of_month day_of_week day_of_week_in_guj department
department_code department_name department_number dga dialing_code diplomatic_license_plate district
district_suffix distrito dk_street_name dni doi domain_name domain_word dsv ean ean13 ean8 ein elector_code
email emoji english_catch_phrase english_paragraph english_paragraphs english_sentence english_sentences
english_text english_texts english_word english_words estado estado_nome estado_sigla file_extension
file_name file_path firefox first_kana_name first_kana_name_female first_kana_name_male first_name
first_name_est first_name_female first_name_female_abbreviated first_name_female_common
first_name_female_est first_name_female_hinduism first_name_female_islamic first_name_female_pair
first_name_female_rus first_name_male first_name_male_abbreviated first_name_male_common first_name_male_est
first_name_male_hinduism first_name_male_islamic first_name_male_pair first_name_male_rus
first_name_nonbinary first_name_pair first_name_rus first_name_unisex first_romanized_name
first_romanized_name_female first_romanized_name_male fixed_width floor_number floor_unit_number free_email
free_email_domain freguesia frequent_street_name full_name future_date future_datetime gemstone_name
get_words_list given_name given_name_female given_name_male globe_area2_landline_number globe_mobile_number
globe_mobile_number_prefix gou gsis gstin hex_color hexify highway_name historic_people_street_name hostname
house_number http_method http_status_code iana_id iban ide identity_card_number idi image_url
individuals_inn individuals_ogrn initials internet_explorer invalid_ssn ios_platform_token ipv4
ipv4_network_class ipv4_private ipv4_public ipv6 is_leap_year isbn10 isbn13 iso8601 itin jan jan13 jan8 job
job_female job_male json kana kana_name kana_name_female kana_name_male kpp kvnr land_address land_number
landline_code landline_number language_code language_name large_company last_kana_name last_name
last_name_common last_name_est last_name_female last_name_female_islamic last_name_hinduism
last_name_islamic last_name_male last_name_nonbinary last_name_pair last_name_rus last_name_unique_to_female
last_name_unique_to_male last_name_unisex last_romanized_name latitude latlng legal_person_nit
legal_person_nit_with_check_digit lexify license_plate license_plate_ar license_plate_by_province
license_plate_by_state license_plate_car license_plate_cdmx license_plate_diplomatic license_plate_en
license_plate_mercosur license_plate_motorbike license_plate_new license_plate_old license_plate_police
license_plate_regex_formats license_plate_state license_plate_state_abbr license_plate_temporary
license_plate_unified line_address linux_platform_token linux_processor local_latitude local_latlng
local_longitude local_regon locale localized_ean localized_ean13 localized_ean8 location_on_land longitude
luzon_province luzon_province_address luzon_province_postcode mac_address mac_platform_token mac_processor
md5 metro_manila_address metro_manila_lgu metro_manila_postcode metropolitan_city middle_name
middle_name_female middle_name_male military_apo military_dpo military_ship military_state mime_type
mindanao_province mindanao_province_address mindanao_province_postcode minguo_year
misc_area2_landline_number misc_landline_identifier mobile_number mobile_operator month month_in_guj
month_name month_name_in_guj motorcycle_license_plate motorcycle_license_plate_cdmx
motorcycle_license_plate_national mountain_name msisdn municipality municipality_code name name_female
name_male name_nonbinary nationality natural_person_nit natural_person_nit_with_check_digit neighborhood
nic_handle nic_handles nie nif nip non_area2_landline_area_code non_area2_landline_number nonprofit_prefix
nuip null_boolean numbered_street numerify nuss old_postal_code opera operator_id ordinal_floor_number
ordinal_street_number org_and_vat_id org_id pagibig pan paragraph paragraphs partitioned_building_number
passport_dates passport_dob passport_full passport_gender passport_number passport_owner password past_date
past_datetime person_rut pesel pesel_compute_check_digit philhealth phone_number phonenumber_prefix
pincode_in_army pincode_in_military pincode_in_state place_name plant_name plant_street_name plate_letter
plate_letter_prefix plate_letter_suffix plate_number plate_number_extra plate_number_special
plate_region_code plate_suffix pldt_area2_landline_number police_id port_number postal_code
postal_code_letter postalcode postalcode_in_province postalcode_in_state postalcode_plus4 postcode
postcode_city_province postcode_in_army postcode_in_military postcode_in_province postcode_in_state
prefecture prefix prefix_female prefix_male prefix_nonbinary pricetag profile protocol_license_plate
provider_code province province_abbr province_code province_lgu province_name province_prefix provinces_code
psv public_transport_license_plate public_transport_license_plate_lettered
public_transport_license_plate_numbered pwz_doctor pwz_doctor_compute_check_digit pwz_nurse pybool pydecimal
pydict pyfloat pyint pyiterable pylist pyset pystr pystr_format pystruct pytimezone pytuple
random_company_acronym random_company_adjective random_company_noun_chain random_company_product
random_digit random_digit_above_two random_digit_not_null random_digit_not_null_or_empty
random_digit_or_empty random_good_service_adjective random_good_service_adjective_chain random_int
random_letter random_letters random_lowercase_letter random_name_complements random_noun_ish_good_trait
random_number random_object_name random_object_of_concern random_uppercase_letter randomize_nb_elements
rcs_number rd_number real_city_name region region_code regon rfc rg rgb_color rgb_css_color rif ripe_id road
road_address road_name road_number road_suffix romanized_name romanized_name_female romanized_name_male rut
rvnr safari safe_color_name safe_domain_name safe_email safe_hex_color sbn9 secondary_address section_number
sentence sentences serial_number service_phone_number settlement settlement_suffix sha1 sha256
simple_profile siren siret slug smart_mobile_number smart_mobile_number_prefix snils space_object_name
special_code ssn sss standalone_building_number start_digit state state_abbr state_name street
street_address street_address_with_county street_municipality street_name street_name_adjective_feminine
street_name_suffix street_name_universal street_prefix street_prefix_feminine street_prefix_feminine_short
street_prefix_long street_prefix_masculine street_prefix_masculine_short street_prefix_short street_procer
street_province street_suffix street_suffix_long street_suffix_short street_title sub_street
sub_street_prefix subdivision_block_number subdivision_lot_number subdivision_name subdivision_name_suffix
subdivision_unit_number suffix suffix_female suffix_male suffix_nonbinary sun_mobile_number
sun_mobile_number_prefix swift swift11 swift8 tambon te_reo_ending te_reo_first te_reo_part telephone_number
telephone_provider_code text texts time time_delta time_object time_series timezone tin tld toll_number town
town_suffix traditional_month_name tsv uid umid union_territory unix_device unix_partition unix_time upc_a
upc_e uri uri_extension uri_page uri_path url user_agent user_name uuid1 uuid4 uuid7 vat_id vehicle_category
vehicle_category_letter vehicle_category_number vehicle_serial_number vi_building_number_format village
village_prefix village_suffix vin visayas_province visayas_province_address visayas_province_postcode wilaya
windows_platform_token word words year zipcode zipcode_in_army zipcode_in_military zipcode_in_state
zipcode_plus4
""".split())
"""Every provider a preset may name, in some locale."""

# Bounds on `args`: values are plain TOML data, and a size argument (how many words, rows, elements)
# is what one row holds, so a preset cannot ask a single call for gigabytes.
MAX_TEXT = 10_000
"""Characters in one text argument (a format, a word)."""
MAX_ITEMS = 1_000
"""Items in one list or table argument (ext_word_list, data_columns)."""
MAX_DEPTH = 3
"""Lists and tables nested in an argument: data_columns = { a = ["{{name}}"] } is 2 deep."""
MAX_SIZE = 10_000
"""The largest value of a size argument (SIZE_ARGS)."""
SIZE_ARGS = frozenset({
    "count", "depth", "digits", "left_digits", "length", "levels", "max_chars", "max_nb_chars", "min_chars",
    "nb", "nb_elements", "nb_sentences", "nb_texts", "nb_words", "num_rows", "right_digits",
})
"""Arguments that say how big one value is."""
MAX_POOL = 100_000
"""The largest `pool` of a faker field: a pool is drawn whole into memory, before any row."""


def refusal(name: str) -> str | None:
    """Why a preset may not name `name`, if it is a refused Faker name (or a private one)."""
    if name.startswith("_"):
        return "a private name of Faker's, not a provider"
    return REFUSED.get(name)
