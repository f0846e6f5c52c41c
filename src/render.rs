//! Rendering diagnostics for people (codespan-reporting: labelled source
//! excerpts, several files in one diagnostic, columns right for Chinese text)
//! and for programs (one JSON document with `schema_version`).

use crate::diag::{Diagnostic, Severity};
use crate::source::SourceMap;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

/// Version of the JSON documents cailiang prints.
pub const SCHEMA_VERSION: u32 = 1;

/// Renders diagnostics as text, each with its source excerpt.
pub fn diagnostics_human(sources: &SourceMap, diags: &[Diagnostic]) -> String {
    let mut files = SimpleFiles::new();
    let mut ids = Vec::new();
    for (_, f) in sources.iter() {
        ids.push(files.add(f.name.clone(), f.text.clone()));
    }
    let config = term::Config::default();
    let mut out = String::new();
    for d in diags {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
            Severity::Note => cs::Severity::Note,
        };
        let labels = d
            .labels
            .iter()
            .filter_map(|l| {
                let file = *ids.get(l.span.file.0 as usize)?;
                let style = if l.primary {
                    cs::LabelStyle::Primary
                } else {
                    cs::LabelStyle::Secondary
                };
                Some(cs::Label::new(style, file, l.span.range()).with_message(l.message.clone()))
            })
            .collect();
        let diagnostic = cs::Diagnostic::new(severity)
            .with_code(d.code)
            .with_message(d.message.clone())
            .with_labels(labels)
            .with_notes(d.notes.clone());
        match term::emit_into_string(&config, &files, &diagnostic) {
            Ok(s) => out.push_str(&s),
            Err(_) => {
                out.push_str(&format!(
                    "{}[{}]: {}\n",
                    severity_word(d.severity),
                    d.code,
                    d.message
                ));
            }
        }
    }
    out
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A location in a file, 1-based, column in characters.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Location {
    /// File name as given.
    pub file: String,
    /// Line, 1-based.
    pub line: usize,
    /// Column in characters, 1-based.
    pub column: usize,
    /// Line of the end.
    pub end_line: usize,
    /// Column of the end.
    pub end_column: usize,
}

/// One diagnostic in JSON form.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticJson {
    /// Stable code.
    pub code: &'static str,
    /// `error`, `warning` or `note`.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// File of the primary label.
    pub file: String,
    /// Line of the primary label.
    pub line: usize,
    /// Column of the primary label.
    pub column: usize,
    /// Every label with its location.
    pub labels: Vec<LabelJson>,
    /// Notes.
    pub notes: Vec<String>,
}

/// A label in JSON form.
#[derive(Debug, Clone, Serialize)]
pub struct LabelJson {
    /// Where.
    #[serde(flatten)]
    pub location: Location,
    /// What about it.
    pub message: String,
    /// Primary or secondary.
    pub primary: bool,
}

/// Where a span lies.
pub fn locate(sources: &SourceMap, span: crate::source::Span) -> Location {
    let (file, line, column) = sources.location(span);
    let (end_line, end_column) = sources
        .get(span.file)
        .map(|f| f.line_col(span.end as usize))
        .unwrap_or((line, column));
    Location {
        file,
        line,
        column,
        end_line,
        end_column,
    }
}

/// Diagnostics as JSON values.
pub fn diagnostics_json(sources: &SourceMap, diags: &[Diagnostic]) -> Vec<DiagnosticJson> {
    diags
        .iter()
        .map(|d| {
            let primary = d.primary_span().map(|s| locate(sources, s));
            let (file, line, column) = primary
                .map(|l| (l.file, l.line, l.column))
                .unwrap_or_default();
            DiagnosticJson {
                code: d.code,
                severity: d.severity,
                message: d.message.clone(),
                file,
                line,
                column,
                labels: d
                    .labels
                    .iter()
                    .map(|l| LabelJson {
                        location: locate(sources, l.span),
                        message: l.message.clone(),
                        primary: l.primary,
                    })
                    .collect(),
                notes: d.notes.clone(),
            }
        })
        .collect()
}
