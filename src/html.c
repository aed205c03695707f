/*
 * html.c: the page of --html (see html.h).
 *
 * The text parts are the report's own, written to a temporary stream and
 * copied in with HTML's specials escaped, so the page says what the report
 * says. The drawings are written the same way and copied in whole (an SVG
 * inside HTML needs no XML declaration). The slider's data is one JSON
 * object in a <script type="application/json">, with '<' written as \u003c
 * so that no text can close the script.
 */
#include "storesim/html.h"

#include <stdlib.h>
#include <string.h>

#include "storesim/escape.h"
#include "storesim/report.h"
#include "storesim/totals.h"

/* Text for HTML: made safe (escape.h), then the specials as entities. */
static void put_html(FILE *f, const char *text)
{
    char buf[1024], *safe = ss_escape_copy(text, buf, sizeof buf);
    const char *p;
    for (p = safe; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*p, f);
        }
    }
    if (safe != buf)
        free(safe);
}

/* A JSON string inside a <script>: no '<', '>' or '&' left as they are. */
static void put_json(FILE *f, const char *text)
{
    char buf[1024], *safe = ss_escape_copy(text, buf, sizeof buf);
    const char *p;
    fputc('"', f);
    for (p = safe; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '<' || *p == '>' || *p == '&')
            fprintf(f, "\\u%04x", (unsigned)*p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
    if (safe != buf)
        free(safe);
}

/* What `tmp` holds, copied to f: escaped (as text) or as it is (a drawing,
 * its XML declaration left out). */
static int copy_stream(FILE *f, FILE *tmp, bool escape)
{
    char line[4096];
    bool first = true;
    rewind(tmp);
    while (fgets(line, sizeof line, tmp)) {
        if (first && !escape && strncmp(line, "<?xml", 5) == 0) {
            first = false;
            continue;
        }
        first = false;
        if (escape) { /* a line at a time: the escape would show its line break */
            size_t n = strlen(line);
            bool end = n > 0 && line[n - 1] == '\n';
            if (end)
                line[n - 1] = '\0';
            put_html(f, line);
            if (end)
                fputc('\n', f);
        } else {
            fputs(line, f);
        }
    }
    return ferror(tmp) ? -1 : 0;
}

/* A part of the report, as preformatted text. */
static int put_part(FILE *f, const struct ss_html_run *run, int part, const char *cls)
{
    FILE *tmp = tmpfile();
    int status;
    if (!tmp)
        return -1;
    ss_report_part(tmp, run->sc, run->res, part);
    fprintf(f, "<pre class=\"%s\" data-run=\"%s\">", cls, run->run);
    status = copy_stream(f, tmp, true);
    fputs("</pre>\n", f);
    fclose(tmp);
    return status;
}

static void symptom_table(FILE *f, const struct ss_html_run *run)
{
    const struct ss_results *r = run->res;
    char clock[SS_TIME_TEXT], span[SS_TIME_TEXT];
    int s, e;
    fprintf(f, "<table class=\"symptoms\" data-run=\"%s\">\n<tr><th>symptom</th><th>first "
               "time</th><th>episodes</th></tr>\n",
            run->run);
    for (s = 0; s < SS_SYMPTOMS; s++) {
        fprintf(f, "<tr data-symptom=\"%s\"><td>%s</td><td>", ss_symptom_key((enum ss_symptom)s),
                ss_symptom_label((enum ss_symptom)s));
        if (r->symptom[s] == SS_NEVER)
            fputs(ss_symptom_never(r, (enum ss_symptom)s), f);
        else
            fputs(ss_clock_hms(clock, &run->sc->clock, r->symptom[s]), f);
        fputs("</td><td>", f);
        for (e = 0; e < SS_EPISODIC; e++)
            if ((int)ss_episode_start_symptom((enum ss_episodic)e) == s && r->episodes[e].count)
                fprintf(f, "%llu, %s in all", (unsigned long long)r->episodes[e].count,
                        ss_span_text(span, r->episodes[e].total_us));
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void totals_table(FILE *f, const struct ss_html_run *run)
{
    size_t i;
    fprintf(f, "<table class=\"totals\" data-run=\"%s\">\n<tr><th>total</th><th>value</th>"
               "</tr>\n",
            run->run);
    for (i = 0; i < ss_totals_count(); i++) {
        const struct ss_total_def *d = ss_total(i);
        double v = ss_total_value(i, run->res);
        char text[SS_TIME_TEXT];
        if (!ss_total_in(i, SS_IN_COMPARE, run->res->n_actions > 0))
            continue;
        if (d->unit == SS_UNIT_US)
            ss_span_text(text, (ss_time)v);
        else if (d->unit == SS_UNIT_SHARE)
            snprintf(text, sizeof text, "%.1f%%", 100.0 * v);
        else
            ss_thousands(text, (unsigned long long)v);
        fprintf(f, "<tr data-total=\"%s\"><td>", d->key);
        put_html(f, d->label);
        fprintf(f, "</td><td>%s</td></tr>\n", text);
    }
    fputs("</table>\n", f);
}

/* The slider's data: each sample of each run, and the timeline. */
struct moments {
    FILE *f;
    int n;
};

static void put_moment(void *ctx, ss_time t, const char *text)
{
    struct moments *m = ctx;
    fprintf(m->f, "%s[%lld,", m->n++ ? ",\n" : "", (long long)t);
    put_json(m->f, text);
    fputc(']', m->f);
}

static void slider_data(FILE *f, const struct ss_html_page *p)
{
    size_t i, k;
    fprintf(f, "<script type=\"application/json\" id=\"data\">\n{\"duration\": %lld, "
               "\"clock\": %lld, \"threads\": %lld, \"runs\": [\n",
            (long long)p->chart->duration,
            (long long)(p->run[0].sc->clock.set ? p->run[0].sc->clock.origin : -1),
            p->run[0].sc->threads);
    for (i = 0; i < p->n_runs; i++) {
        const struct ss_series *s = p->run[i].series;
        struct moments m;
        fprintf(f, "%s{\"run\": \"%s\", \"heading\": ", i ? ",\n" : "", p->run[i].run);
        put_json(f, p->run[i].heading);
        fputs(", \"samples\": [\n", f);
        for (k = 0; k < s->n; k++) {
            const struct ss_point *pt = &s->point[k];
            fprintf(f, "%s[%lld,%lld,%lld,%lld,%lld,%lld]", k ? (k % 8 ? "," : ",\n") : "",
                    (long long)pt->time, pt->busy[0], pt->busy[1], pt->busy[2], pt->busy[3],
                    pt->backlog);
        }
        fputs("],\n\"moments\": [\n", f);
        m.f = f;
        m.n = 0;
        ss_report_each_moment(p->run[i].sc, p->run[i].res, put_moment, &m);
        fputs("]}", f);
    }
    fputs("]}\n</script>\n", f);
}

static const char *const style =
    "body{font-family:sans-serif;font-size:18px;line-height:1.4;margin:0 auto;max-width:1300px;"
    "padding:0 16px;color:#222}\n"
    "h1{font-size:28px}h2{font-size:24px;margin-top:1.6em}h3{font-size:20px}\n"
    "pre{font-size:16px;background:#f6f6f6;padding:8px;overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 10px;"
    "text-align:left}\n"
    "svg{width:100%;height:auto;max-width:1280px;display:block}\n"
    "#player{position:sticky;top:0;background:#fff;border-bottom:2px solid #1F3A93;"
    "padding:8px 0;z-index:2}\n"
    "#slider{width:100%;height:28px}\n"
    "#state{display:flex;gap:24px;flex-wrap:wrap;font-size:18px}\n"
    ".run-state{min-width:300px}.now{font-size:24px;font-weight:bold}\n"
    ".k0{color:#0072B2}.k1{color:#B07500}.k2{color:#007A5A}.k3{color:#D55E00}\n"
    ".columns{display:flex;gap:24px;flex-wrap:wrap}.columns>div{flex:1;min-width:480px}\n";

/* The script: no library, nothing fetched. */
static const char *const script =
    "(function(){\n"
    "'use strict';\n"
    "var body=document.body;\n"
    "window.addEventListener('error',function(e){body.setAttribute('data-error',String(e.message));});\n"
    "var D=JSON.parse(document.getElementById('data').textContent);\n"
    "var slider=document.getElementById('slider'),state=document.getElementById('state');\n"
    "var kinds=['delivery','OWA','move','flush'];\n"
    "function two(n){return (n<10?'0':'')+n;}\n"
    "function clock(us){var s=Math.floor(us/1e6),day=0;if(D.clock>=0){s+=Math.floor(D.clock/1e6);}\n"
    " day=Math.floor(s/86400);s-=day*86400;var t=two(Math.floor(s/3600))+':'+two(Math.floor(s/60)%60)+':'+two(s%60);\n"
    " return day>0?t+'+'+day+'d':t;}\n"
    "function parse(text){var m=/^(\\d+):(\\d\\d)(?::(\\d\\d))?$/.exec(text);if(!m){return null;}\n"
    " var s=3600*(+m[1])+60*(+m[2])+(+(m[3]||0));if(D.clock>=0){s-=Math.floor(D.clock/1e6);if(s<0){s+=86400;}}return s*1e6;}\n"
    "var times=D.runs[0].samples.map(function(p){return p[0];});\n"
    "slider.max=String(times.length-1);\n"
    "function at(run,t){var a=run.samples,lo=0,hi=a.length-1;while(lo<hi){var mid=(lo+hi+1)>>1;if(a[mid][0]<=t){lo=mid;}else{hi=mid-1;}}return a[lo];}\n"
    "function last(run,t){var m=null;run.moments.forEach(function(x){if(x[0]<=t){m=x;}});return m;}\n"
    "function el(tag,cls,text){var e=document.createElement(tag);if(cls){e.className=cls;}if(text!==undefined){e.textContent=text;}return e;}\n"
    "var cursors=[];\n"
    "Array.prototype.forEach.call(document.querySelectorAll('.drawing svg'),function(svg){\n"
    " var l=document.createElementNS('http://www.w3.org/2000/svg','line');\n"
    " l.setAttribute('class','cursor');l.setAttribute('y1','80');l.setAttribute('y2','660');\n"
    " l.setAttribute('stroke','#1F3A93');l.setAttribute('stroke-width','3');l.setAttribute('opacity','0.8');\n"
    " svg.appendChild(l);cursors.push(l);});\n"
    "function show(i){i=Math.max(0,Math.min(times.length-1,i));slider.value=String(i);var t=times[i];\n"
    " state.textContent='';state.setAttribute('data-time-us',String(t));\n"
    " state.appendChild(el('div','now',clock(t)));\n"
    " D.runs.forEach(function(run){var p=at(run,t),m=last(run,t),box=el('div','run-state'),busy=p[1]+p[2]+p[3]+p[4];\n"
    "  box.setAttribute('data-run',run.run);box.setAttribute('data-busy',p.slice(1,5).join(','));box.setAttribute('data-backlog',String(p[5]));\n"
    "  if(D.runs.length>1){box.appendChild(el('div','',run.heading));}\n"
    "  box.appendChild(el('div','',busy+' of '+D.threads+' threads busy'));\n"
    "  var line=el('div','');kinds.forEach(function(k,j){line.appendChild(el('span','k'+j,k+' '+p[j+1]+'  '));});box.appendChild(line);\n"
    "  box.appendChild(el('div','','delivery backlog: '+p[5].toLocaleString('en')+' messages'));\n"
    "  box.appendChild(el('div','last',m?'last: '+clock(m[0])+' '+m[1]:'nothing has happened yet'));\n"
    "  state.appendChild(box);});\n"
    " var x=88+1096*t/D.duration;cursors.forEach(function(c){c.setAttribute('x1',String(x));c.setAttribute('x2',String(x));});}\n"
    "slider.addEventListener('input',function(){show(+slider.value);});\n"
    "document.addEventListener('keydown',function(e){var i=+slider.value,big=Math.max(1,Math.round(times.length/20));\n"
    " var keys={ArrowRight:1,ArrowDown:1,ArrowLeft:-1,ArrowUp:-1,PageDown:big,PageUp:-big,' ':big};\n"
    " if(e.target===slider&&(e.key.indexOf('Arrow')===0)){return;}\n"
    " if(e.key==='Home'){show(0);}else if(e.key==='End'){show(times.length-1);}\n"
    " else if(keys[e.key]!==undefined){show(i+keys[e.key]);}else{return;}e.preventDefault();});\n"
    "var start=0,h=/#t=([0-9:]+)/.exec(location.hash);\n"
    "if(h){var want=parse(h[1]);if(want!==null){for(var i=0;i<times.length;i++){if(times[i]<=want){start=i;}}}}\n"
    "show(start);\n"
    "body.setAttribute('data-ready','yes');\n"
    "})();\n";

static int put_drawing(FILE *f, const char *cls, void (*draw)(FILE *, const void *),
                       const void *what)
{
    FILE *tmp = tmpfile();
    int status;
    if (!tmp)
        return -1;
    draw(tmp, what);
    fprintf(f, "<div class=\"drawing %s\">\n", cls);
    status = copy_stream(f, tmp, false);
    fputs("</div>\n", f);
    fclose(tmp);
    return status;
}

static void draw_chart(FILE *f, const void *c)
{
    ss_svg_write(f, c);
}

static void draw_lanes(FILE *f, const void *c)
{
    ss_lanes_write(f, c);
}

int ss_html_write(FILE *f, const struct ss_html_page *p)
{
    FILE *tmp;
    size_t i;
    int status = 0;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"generator\" content=\"storesim\">\n<title>",
          f);
    put_html(f, p->title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body data-ready=\"no\">\n<h1>", style);
    put_html(f, p->title);
    fputs("</h1>\n<h2>The scenario</h2>\n<p class=\"scenario\">", f);
    if (!(tmp = tmpfile()))
        return -1;
    ss_report_scenario(tmp, p->run[0].sc);
    status |= copy_stream(f, tmp, true);
    fclose(tmp);
    fputs("</p>\n", f);
    fputs("<div id=\"player\">\n<label for=\"slider\">The store at an instant "
          "(&larr; &rarr;, Page Up, Page Down, Home, End):</label>\n"
          "<input type=\"range\" id=\"slider\" min=\"0\" max=\"0\" step=\"1\" value=\"0\">\n"
          "<div id=\"state\"></div>\n</div>\n",
          f);
    fputs("<h2>Over time</h2>\n", f);
    status |= put_drawing(f, "chart", draw_chart, p->chart);
    fputs("<h2>Every thread</h2>\n", f);
    status |= put_drawing(f, "lanes", draw_lanes, p->lanes);
    if (p->compare) {
        fputs("<h2>The verdict</h2>\n<pre class=\"verdict\">", f);
        if (!(tmp = tmpfile()))
            return -1;
        ss_compare_verdict(tmp, p->compare);
        status |= copy_stream(f, tmp, true);
        fclose(tmp);
        fputs("</pre>\n", f);
    }
    fputs("<div class=\"columns\">\n", f);
    for (i = 0; i < p->n_runs; i++) {
        fputs("<div>\n<h2>", f);
        put_html(f, p->run[i].heading);
        fputs("</h2>\n<h3>Timeline</h3>\n", f);
        status |= put_part(f, &p->run[i], SS_PART_TIMELINE, "timeline");
        fputs("<h3>Symptoms</h3>\n", f);
        symptom_table(f, &p->run[i]);
        fputs("<h3>Totals</h3>\n", f);
        totals_table(f, &p->run[i]);
        fputs("</div>\n", f);
    }
    fputs("</div>\n", f);
    slider_data(f, p);
    fprintf(f, "<script>\n%s</script>\n</body>\n</html>\n", script);
    return status ? -1 : 0;
}
