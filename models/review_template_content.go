package models

import "gorm.io/gorm"

// writeContent stores a definition's sections and questions under a
// draft version, replacing what it had.
func writeContent(tx *gorm.DB, versionID int64, d *TemplateDef) error {
	if err := tx.Where("template_version_id = ?", versionID).Delete(&TemplateQuestion{}).Error; err != nil {
		return err
	}
	if err := tx.Where("template_version_id = ?", versionID).Delete(&TemplateSection{}).Error; err != nil {
		return err
	}
	for i, s := range d.Sections {
		sec := TemplateSection{TemplateVersionID: versionID, Position: i + 1, Key: s.Key, Title: s.Title, Description: s.Description}
		if err := tx.Omit("Questions").Create(&sec).Error; err != nil {
			return err
		}
		if len(s.Questions) == 0 {
			continue
		}
		qs := make([]TemplateQuestion, 0, len(s.Questions))
		for j, q := range s.Questions {
			qs = append(qs, TemplateQuestion{TemplateVersionID: versionID, SectionID: sec.ID, Position: j + 1,
				Key: q.Key, Prompt: q.Prompt, Guidance: q.Guidance, Evidence: q.Evidence, Risk: q.Risk})
		}
		if err := tx.CreateInBatches(qs, 100).Error; err != nil {
			return err
		}
	}
	return nil
}
