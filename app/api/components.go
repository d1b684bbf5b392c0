package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Components serves the component catalogue.
type Components struct{ *web.Kit }

type componentJSON struct {
	ID                 int64         `json:"id"`
	Name               string        `json:"name"`
	Slug               string        `json:"slug"`
	Team               string        `json:"team"`
	Tier               int           `json:"tier"`
	Description        string        `json:"description"`
	Links              []models.Link `json:"links"`
	Tags               []string      `json:"tags"`
	ReviewIntervalDays int           `json:"review_interval_days"`
	LastReviewedAt     *time.Time    `json:"last_reviewed_at"`
	NextReviewDue      *models.Date  `json:"next_review_due"`
	Version            int           `json:"version"`
	CreatedAt          time.Time     `json:"created_at"`
	UpdatedAt          time.Time     `json:"updated_at"`
}

func toComponentJSON(c *models.Component) componentJSON {
	j := componentJSON{ID: c.ID, Name: c.Name, Slug: c.Slug, Tier: c.Tier, Description: c.Description, Links: c.Links, Tags: c.TagNames(),
		ReviewIntervalDays: c.ReviewIntervalDays, LastReviewedAt: c.LastReviewedAt, NextReviewDue: c.NextReviewDue, Version: c.Version,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if j.Links == nil {
		j.Links = []models.Link{}
	}
	if c.Team != nil {
		j.Team = c.Team.Slug
	}
	return j
}

func (h Components) List(c echo.Context) error {
	ctx := c.Request().Context()
	lp, err := parseList(c)
	if err != nil {
		return err
	}
	var after int64
	if err := decodeCursor(lp.Cursor, &after); err != nil {
		return err
	}
	q := c.QueryParams()
	f := models.ComponentFilter{Tag: q.Get("tag"), Review: q.Get("review"), Today: h.Today(), Query: q.Get("q"), ByID: true, AfterID: after, Limit: lp.Limit + 1}
	if v := q.Get("tier"); v != "" {
		if f.Tier, err = strconv.Atoi(v); err != nil || f.Tier < 1 || f.Tier > 3 {
			return models.FieldError("tier", "tier must be 1, 2 or 3")
		}
	}
	if f.Review != "" && f.Review != models.ReviewFilterDue && f.Review != models.ReviewFilterOverdue && f.Review != models.ReviewFilterNever {
		return models.FieldError("review", "review must be due, overdue or never")
	}
	if slug := q.Get("team"); slug != "" {
		t, err := models.GetTeamBySlug(ctx, h.DB, slug)
		if errors.Is(err, models.ErrNotFound) {
			return models.FieldError("team", "no team has the slug "+slug)
		} else if err != nil {
			return err
		}
		f.TeamID = t.ID
	}
	comps, err := models.ListComponents(ctx, h.DB, f)
	if err != nil {
		return err
	}
	items := make([]componentJSON, 0, len(comps))
	for i := range comps {
		items = append(items, toComponentJSON(&comps[i]))
	}
	return web.WriteJSON(c, http.StatusOK, newListPage(items, lp.Limit, func(j componentJSON) any { return j.ID }))
}

type componentInputJSON struct {
	Name               *string        `json:"name"`
	Slug               *string        `json:"slug"`
	Team               *string        `json:"team"`
	Tier               *int           `json:"tier"`
	Description        *string        `json:"description"`
	Links              *[]models.Link `json:"links"`
	Tags               *[]string      `json:"tags"`
	ReviewIntervalDays *int           `json:"review_interval_days"`
	Version            *int           `json:"version"`
}

// apply fills in over the current values (PATCH semantics).
func (in componentInputJSON) apply(cur models.ComponentInput) models.ComponentInput {
	if in.Name != nil {
		cur.Name = *in.Name
	}
	if in.Slug != nil {
		cur.Slug = *in.Slug
	}
	if in.Team != nil {
		cur.Team = *in.Team
	}
	if in.Tier != nil {
		cur.Tier = *in.Tier
	}
	if in.Description != nil {
		cur.Description = *in.Description
	}
	if in.Links != nil {
		cur.Links = *in.Links
	}
	if in.Tags != nil {
		cur.Tags = *in.Tags
	}
	if in.ReviewIntervalDays != nil {
		cur.ReviewIntervalDays = *in.ReviewIntervalDays
	}
	return cur
}

func (h Components) Create(c echo.Context) error {
	var in componentInputJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Tier == nil {
		in.Tier = new(int)
	}
	comp, err := models.CreateComponent(c.Request().Context(), h.DB, web.Actor(c), in.apply(models.ComponentInput{}))
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, toComponentJSON(comp))
}

func (h Components) Get(c echo.Context) error {
	comp, err := models.GetComponentBySlug(c.Request().Context(), h.DB, c.Param("slug"))
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toComponentJSON(comp))
}

func (h Components) Update(c echo.Context) error {
	ctx := c.Request().Context()
	comp, err := models.GetComponentBySlug(ctx, h.DB, c.Param("slug"))
	if err != nil {
		return err
	}
	var in componentInputJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Slug != nil && *in.Slug != comp.Slug {
		return models.FieldError("slug", "the slug of a component cannot change")
	}
	cur := models.ComponentInput{Name: comp.Name, Tier: comp.Tier, Description: comp.Description, Links: comp.Links, Tags: comp.TagNames(), ReviewIntervalDays: comp.ReviewIntervalDays}
	if comp.Team != nil {
		cur.Team = comp.Team.Slug
	}
	version := comp.Version
	if in.Version != nil {
		version = *in.Version
	}
	updated, err := models.UpdateComponent(ctx, h.DB, web.Actor(c), comp.ID, version, in.apply(cur))
	if err != nil {
		return conflictJSON(err, toComponentJSON)
	}
	return web.WriteJSON(c, http.StatusOK, toComponentJSON(updated))
}
