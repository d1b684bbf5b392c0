package models

import (
	"context"
	"errors"
	"strconv"

	"gorm.io/gorm"
)

// ActionSource is where a new action item comes from, as
// ResolveActionSource derives it from the references of a NewActionItem.
// Finding, Review and Incident hold the columns a form's context line
// needs (id, title, and the finding's review and component); Component
// has its team.
type ActionSource struct {
	Kind      string
	Finding   *Finding
	Review    *Review
	Component *Component
	Incident  *Incident
}

// The fields of a NewActionItem's references in a ValidationError: the
// API's JSON names (pages turn an error in one of them into "not found",
// since the person cannot fix a reference in a link or a hidden field).
const (
	RefFinding    = "finding_id"
	RefReview     = "review_id"
	RefComponent  = "component"
	RefIncident   = "incident"
	RefSourceKind = "source_kind"
)

// IsReferenceError reports whether err is a ValidationError about a
// reference of a new action item (see RefFinding …).
func IsReferenceError(err error) bool {
	ve, ok := AsValidation(err)
	if !ok {
		return false
	}
	for _, f := range []string{RefFinding, RefReview, RefComponent, RefIncident, RefSourceKind} {
		if _, bad := ve.Fields[f]; bad {
			return true
		}
	}
	return false
}

// ResolveActionSource reads the references of in (FindingID, ReviewID,
// ComponentID or ComponentSlug, IncidentID or IncidentKey, SourceKind)
// and derives the item's source from them. It is the one place that does;
// CreateActionItem calls it, and pages call it to show where a new item
// will come from.
//
// The rules:
//   - A finding makes the item a finding's (kind finding), of the
//     finding's component and of a review that tracks the finding: the
//     review given, else the one that found it.
//   - Otherwise a review makes it a review's (kind review), of the
//     review's component.
//   - A component given must be the one the finding or review implies;
//     alone it only sets the component (kind manual).
//   - An incident links the item to it (follow-through by severity).
//     Without a finding or review the item comes from the incident's
//     postmortem (kind postmortem) unless SourceKind says retro.
//   - SourceKind matters only for postmortem and retro (a retro item may
//     have no incident; a postmortem item has one). Any other kind given
//     must be the derived one.
//
// Pages and the API used to derive this each their own way: the page let
// a review= parameter override a finding's review unchecked, and the API
// let a component slug replace a finding's component. Both now get a
// ValidationError naming the reference that disagrees: an item counted
// under a review or a component it does not belong to skews
// follow-through, and a reference that does not resolve is refused the
// same way (RefFinding …), never silently dropped.
func ResolveActionSource(ctx context.Context, db *gorm.DB, in NewActionItem) (*ActionSource, error) {
	db = db.WithContext(ctx)
	src := &ActionSource{Kind: SourceManual}
	v := &ValidationError{}
	// lookup loads one row into dst; found is false when it does not exist.
	lookup := func(dst any, cols, where string, arg any) (found bool, err error) {
		err = db.Select(cols).Where(where, arg).Take(dst).Error
		if errors.Is(TranslateError(err), ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	if in.FindingID != nil {
		f := &Finding{}
		ok, err := lookup(f, "id, review_id, component_id, title", "id = ?", *in.FindingID)
		if err != nil {
			return nil, err
		}
		if !ok {
			v.Add(RefFinding, "No finding has the id "+strconv.FormatInt(*in.FindingID, 10)+".")
		} else {
			src.Kind, src.Finding = SourceFinding, f
		}
	}
	if in.ReviewID != nil {
		r := &Review{}
		ok, err := lookup(r, "id, component_id, title", "id = ?", *in.ReviewID)
		if err != nil {
			return nil, err
		}
		switch {
		case !ok:
			v.Add(RefReview, "No review has the id "+strconv.FormatInt(*in.ReviewID, 10)+".")
		case src.Finding != nil && src.Finding.ReviewID != r.ID:
			var links int64
			if err := db.Model(&ReviewFinding{}).Where("review_id = ? AND finding_id = ?", r.ID, src.Finding.ID).Count(&links).Error; err != nil {
				return nil, err
			}
			if links == 0 {
				v.Add(RefReview, "The finding is not part of that review.")
			}
		}
		if ok {
			src.Review = r
		}
		if src.Finding == nil && in.FindingID == nil && ok {
			src.Kind = SourceReview
		}
	}
	if src.Finding != nil && src.Review == nil && in.ReviewID == nil {
		r := &Review{}
		if _, err := lookup(r, "id, component_id, title", "id = ?", src.Finding.ReviewID); err != nil {
			return nil, err
		}
		src.Review = r
	}
	// The component the finding or review implies, then the one given.
	var implied *int64
	switch {
	case src.Finding != nil:
		implied = &src.Finding.ComponentID
	case src.Review != nil:
		implied = &src.Review.ComponentID
	}
	var given *Component
	if in.ComponentSlug != "" {
		c, err := GetComponentBySlug(ctx, db, in.ComponentSlug)
		switch {
		case errors.Is(err, ErrNotFound):
			v.Add(RefComponent, "No component has the slug "+in.ComponentSlug+".")
		case err != nil:
			return nil, err
		default:
			given = c
		}
	}
	if in.ComponentID != nil {
		switch {
		case given != nil && given.ID != *in.ComponentID:
			v.Add(RefComponent, "The component's id and slug name different components.")
		case given == nil && in.ComponentSlug == "":
			c, err := GetComponent(ctx, db, *in.ComponentID)
			switch {
			case errors.Is(err, ErrNotFound):
				v.Add(RefComponent, "No component has the id "+strconv.FormatInt(*in.ComponentID, 10)+".")
			case err != nil:
				return nil, err
			default:
				given = c
			}
		}
	}
	switch {
	case given != nil && implied != nil && given.ID != *implied:
		what := "review"
		if src.Finding != nil {
			what = "finding"
		}
		v.Add(RefComponent, "The "+what+" is about another component.")
	case given != nil:
		src.Component = given
	case implied != nil:
		c, err := GetComponent(ctx, db, *implied)
		if err != nil {
			return nil, err
		}
		src.Component = c
	}
	if err := resolveActionIncident(ctx, db, in, src, v); err != nil {
		return nil, err
	}
	resolveActionKind(in, src, v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return src, nil
}

// resolveActionIncident reads IncidentID or IncidentKey into src.
func resolveActionIncident(ctx context.Context, db *gorm.DB, in NewActionItem, src *ActionSource, v *ValidationError) error {
	if in.IncidentID == nil && in.IncidentKey == "" {
		return nil
	}
	q := db.WithContext(ctx).Select("id, number, title")
	inc := &Incident{}
	var err error
	switch n, ok := ParseIncidentKey(in.IncidentKey); {
	case in.IncidentKey != "" && !ok:
		err = ErrNotFound
	case in.IncidentKey != "":
		err = q.Where("number = ?", n).Take(inc).Error
	default:
		err = q.Where("id = ?", *in.IncidentID).Take(inc).Error
	}
	switch {
	case errors.Is(TranslateError(err), ErrNotFound) && in.IncidentKey != "":
		v.Add(RefIncident, "No incident has the key "+in.IncidentKey+".")
	case errors.Is(TranslateError(err), ErrNotFound):
		v.Add(RefIncident, "No incident has the id "+strconv.FormatInt(*in.IncidentID, 10)+".")
	case err != nil:
		return err
	case in.IncidentKey != "" && in.IncidentID != nil && *in.IncidentID != inc.ID:
		v.Add(RefIncident, "The incident's id and key name different incidents.")
	default:
		src.Incident = inc
	}
	return nil
}

// resolveActionKind settles the kind from what src derived and the kind
// in asks for.
func resolveActionKind(in NewActionItem, src *ActionSource, v *ValidationError) {
	fromReview := in.FindingID != nil || in.ReviewID != nil
	hasIncident := in.IncidentID != nil || in.IncidentKey != ""
	if src.Kind == SourceManual && hasIncident {
		src.Kind = SourcePostmortem
	}
	switch in.SourceKind {
	case "", src.Kind:
	case SourcePostmortem, SourceRetro:
		if fromReview {
			v.Add(RefSourceKind, "An item comes from a review or finding, or from a "+in.SourceKind+", not both.")
			return
		}
		if in.SourceKind == SourcePostmortem && !hasIncident {
			v.Add(RefIncident, "Name the incident whose postmortem the item comes from.")
			return
		}
		src.Kind = in.SourceKind
	case SourceReview, SourceFinding, SourceManual:
		v.Add(RefSourceKind, "The item's references make it a "+src.Kind+" item, not a "+in.SourceKind+" one.")
	default:
		v.Add(RefSourceKind, "Unknown source kind.")
	}
}

// joinValidation merges the ValidationErrors among errs into one; any
// other error wins as it is.
func joinValidation(errs ...error) error {
	out := &ValidationError{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		ve, ok := AsValidation(err)
		if !ok {
			return err
		}
		for k, msg := range ve.Fields {
			out.Add(k, msg)
		}
		out.Global = append(out.Global, ve.Global...)
	}
	return out.Err()
}
