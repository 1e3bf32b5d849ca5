package household

// Text is a phrase in Vietnamese and English.
type Text struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// In returns the phrase in the given language ("en" gives English, anything else Vietnamese).
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.VI
}

// Labels of the questionnaire's choices (questionnaire.md), by field and value, for reasons,
// lists and reports. The form itself takes its labels from the UI translations.
var labels = map[string]map[string]Text{
	"relation": {
		"head": {"Chủ hộ", "Head"}, "spouse": {"Vợ, chồng", "Spouse"}, "child": {"Con", "Child"},
		"parent": {"Bố, mẹ", "Parent"}, "grandchild": {"Cháu", "Grandchild"},
		"sibling": {"Anh, chị, em", "Sibling"}, "other": {"Khác", "Other"},
	},
	"sex": {"male": {"Nam", "Male"}, "female": {"Nữ", "Female"}},
	"education": {
		"none": {"Chưa đi học", "None"}, "primary": {"Tiểu học", "Primary"},
		"lower_secondary": {"THCS", "Lower secondary"}, "upper_secondary": {"THPT", "Upper secondary"},
		"vocational_elementary":   {"Sơ cấp nghề", "Elementary vocational"},
		"vocational_intermediate": {"Trung cấp", "Intermediate vocational"},
		"college":                 {"Cao đẳng", "College"}, "university": {"Đại học trở lên", "University or higher"},
	},
	"school": {
		"attending":        {"Đi học đúng cấp", "Attending the right level"},
		"attending_behind": {"Đi học nhưng chậm cấp", "Attending but behind"},
		"not_attending":    {"Không đi học", "Not attending"},
	},
	"employment": {
		"wage_contract":       {"Làm công có HĐLĐ", "Wage job with contract"},
		"wage_no_contract":    {"Làm công không có HĐLĐ", "Wage job without contract"},
		"self_employed":       {"Tự làm (nông nghiệp, buôn bán…)", "Self-employed"},
		"unemployed":          {"Thất nghiệp", "Unemployed"},
		"not_in_labour_force": {"Không tham gia lao động", "Not in the labour force"},
		"student":             {"Học sinh, sinh viên", "Student"}, "retired": {"Nghỉ hưu", "Retired"},
	},
	"structure": {"durable": {"Bền chắc", "Durable"}, "non_durable": {"Không bền chắc", "Not durable"}},
	"water_source": {
		"piped": {"Nước máy", "Piped"}, "drilled_well": {"Giếng khoan", "Drilled well"},
		"protected_dug_well": {"Giếng đào được bảo vệ", "Protected dug well"},
		"protected_spring":   {"Nước khe, mó được bảo vệ", "Protected spring"},
		"rainwater":          {"Nước mưa", "Rainwater"}, "bottled": {"Nước đóng bình, chai", "Bottled"},
		"unprotected_well":   {"Giếng đào không được bảo vệ", "Unprotected well"},
		"unprotected_spring": {"Nước khe, mó không được bảo vệ", "Unprotected spring"},
		"surface_water":      {"Nước sông, suối, ao, hồ", "Surface water"}, "other": {"Khác", "Other"},
	},
	"toilet": {
		"septic": {"Tự hoại", "Septic"}, "semi_septic": {"Bán tự hoại", "Semi-septic"},
		"pour_flush": {"Thấm dội nước", "Pour-flush"}, "double_vault": {"Hai ngăn", "Double vault"},
		"ventilated_pit": {"Chìm có ống thông hơi", "Ventilated pit"}, "biogas": {"Biogas", "Biogas"},
		"simple_pit": {"Hố xí đơn giản", "Simple pit"}, "hanging": {"Cầu tõm, trên ao", "Hanging"},
		"none": {"Không có", "None"}, "other": {"Khác", "Other"},
	},
	"area": {"urban": {"Thành thị", "Urban"}, "rural": {"Nông thôn", "Rural"}},
	"status": {
		"poor": {"Hộ nghèo", "Poor"}, "near_poor": {"Hộ cận nghèo", "Near-poor"},
		"medium": {"Hộ có mức sống trung bình", "Medium living standard"}, "not_poor": {"Hộ không nghèo", "Not poor"},
		"escaped_poor": {"Thoát nghèo", "Escaped poverty"}, "escaped_near_poor": {"Thoát cận nghèo", "Escaped near-poverty"},
	},
	"device": {
		"tv": {"Tivi", "TV"}, "radio": {"Radio", "Radio"}, "computer": {"Máy tính", "Computer"},
		"phone": {"Điện thoại", "Telephone"}, "tablet": {"Máy tính bảng", "Tablet"},
	},
}

// Label returns the questionnaire's words for a value of a field ("water_source", "toilet",
// "education", "employment", "relation", "sex", "school", "structure", "area", "status",
// "device"); an unknown value is returned as it is.
func Label(field, value string) Text {
	if t, ok := labels[field][value]; ok {
		return t
	}
	return Text{VI: value, EN: value}
}
