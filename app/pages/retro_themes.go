package pages

import (
	"context"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Retros) ThemeCreate(c echo.Context) error {
	id, err := h.retroID(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	_, err = models.CreateRetroTheme(ctx, h.Live.Tx(), web.Actor(c), id, form.Get("title"))
	v, verr := h.retroFormView(c, id)
	if verr != nil {
		return verr
	}
	render := func(f views.Form) templ.Component { return views.ThemeForm(v, f) }
	return h.retroFormAnswer(c, id, err, views.FormFrom(form), render, views.NewForm())
}

func (h Retros) ThemeDelete(c echo.Context) error {
	themeID, err := web.PathID(c, "tid")
	if err != nil {
		return err
	}
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		return models.DeleteRetroTheme(ctx, lt, web.Actor(c), id, themeID)
	})
}

func (h Retros) Vote(c echo.Context) error {
	themeID, err := web.PathID(c, "tid")
	if err != nil {
		return err
	}
	withdraw := strings.HasSuffix(c.Path(), "/unvote")
	return h.retroControl(c, func(ctx context.Context, lt models.LiveTx, id int64, _ url.Values) error {
		if withdraw {
			return models.WithdrawRetroVote(ctx, lt, web.Actor(c), id, themeID)
		}
		return models.CastRetroVote(ctx, lt, web.Actor(c), id, themeID)
	})
}
