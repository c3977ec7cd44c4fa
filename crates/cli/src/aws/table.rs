//! `--output table`: the AWS CLI's table, ported from `awscli/table.py` and the
//! `TableFormatter` of `awscli/formatter.py` so that the same data prints the same bytes.
//!
//! A dict becomes a section (one scalar: a key/value row; several: a header row and a value
//! row), its lists and dicts sub-sections indented one level; a list of dicts becomes a
//! header row of every scalar key and one row per item. When the widest section does not
//! fit the terminal (80 columns when output is not a terminal), single-row sections turn
//! into key/value rows.

use super::{east_asian_width, python};
use serde_json::{Map, Value};

/// A table the AWS CLI cannot draw either (rows of different lengths in one section).
#[derive(Debug, thiserror::Error)]
#[error("Row should have {expected} elements, instead it has {actual}")]
pub struct TableError {
    expected: usize,
    actual: usize,
}

/// The table of `value` under `title` (the operation's name), or `None` when the AWS CLI
/// prints nothing (an empty or false value).
pub fn render(
    title: &str,
    value: &Value,
    terminal_width: usize,
) -> Result<Option<String>, TableError> {
    let mut table = MultiTable::default();
    if !table.build(Some(title), value, 0)? {
        return Ok(None);
    }
    Ok(Some(table.render(terminal_width)))
}

/// The width of the terminal on standard output, or 80 (as the AWS CLI).
pub fn terminal_width() -> usize {
    terminal_size::terminal_size_of(std::io::stdout())
        .map_or(80, |(terminal_size::Width(w), _)| usize::from(w))
}

/// `get_text_length`: East Asian wide, fullwidth and ambiguous characters count two.
fn text_length(text: &str) -> usize {
    text.chars()
        .map(|c| if east_asian_width::is_wide(c) { 2 } else { 1 })
        .sum()
}

/// Python's truthiness: `None`, `False`, `0`, `""`, `[]` and `{}` print no table.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

#[derive(Debug, Default)]
struct Section {
    /// `None` for a section opened under no title (Python's `None`, which still counts
    /// as four characters when widths are computed).
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    num_cols: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn titled(title: Option<&str>, indent_level: usize) -> Section {
        Section {
            title: title.map(str::to_owned),
            indent_level,
            ..Section::default()
        }
    }

    fn title_length(&self) -> usize {
        self.title.as_deref().map_or(4, text_length)
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_max_widths(&headers);
        if self.num_cols.is_none() {
            self.num_cols = Some(headers.len());
        }
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), TableError> {
        let expected = *self.num_cols.get_or_insert(row.len());
        if row.len() != expected {
            return Err(TableError {
                expected,
                actual: row.len(),
            });
        }
        self.update_max_widths(&row);
        self.rows.push(row);
        Ok(())
    }

    fn update_max_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|e| text_length(e)).collect();
        } else {
            for (width, e) in self.max_widths.iter_mut().zip(row) {
                *width = (*width).max(text_length(e));
            }
        }
    }

    /// `calculate_column_widths(padding=4, max_width)`: the columns scaled to fill
    /// `max_width`, rounding half to even as Python's `round` does.
    fn column_widths(&self, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + 4).collect();
        if unscaled.is_empty() {
            return unscaled;
        }
        let scale = max_width as f64 / unscaled.iter().sum::<usize>() as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (scale * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if let Some(w) = scaled.get_mut(i) {
                    if off_by > 0 {
                        *w -= 1;
                        off_by -= 1;
                    } else {
                        *w += 1;
                        off_by += 1;
                    }
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    /// `total_width(padding=4, with_border=True, outer_padding=indent_level)`.
    fn total_width(&self) -> usize {
        let outer = 2 * self.indent_level;
        let columns: usize = self.max_widths.iter().map(|w| w + 4).sum();
        (self.title_length() + 2 + outer).max(columns + 2 + outer)
    }
}

#[derive(Debug, Default)]
struct MultiTable {
    sections: Vec<Section>,
}

impl MultiTable {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn new_section(&mut self, title: Option<&str>, indent_level: usize) {
        self.sections.push(Section::titled(title, indent_level));
    }

    /// `TableFormatter._build_table`.
    fn build(
        &mut self,
        title: Option<&str>,
        current: &Value,
        indent_level: usize,
    ) -> Result<bool, TableError> {
        if !truthy(current) {
            return Ok(false);
        }
        if let Some(title) = title {
            self.new_section(Some(title), indent_level);
        }
        match current {
            Value::Array(items) if items.first().is_some_and(Value::is_object) => {
                self.sub_table_from_list(items, indent_level, title)?;
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Array(elements) if elements.iter().all(is_scalar) => {
                            self.current()
                                .add_row(elements.iter().map(python::str).collect())?;
                        }
                        Value::Array(_) => {
                            self.build(None, item, 0)?;
                        }
                        // Python iterates a dict's keys, all scalars: the row is the keys.
                        Value::Object(map) => {
                            self.current().add_row(map.keys().cloned().collect())?
                        }
                        scalar => self.current().add_row(vec![python::str(scalar)])?,
                    }
                }
            }
            Value::Object(map) => self.sub_table_from_dict(map, indent_level)?,
            _ => {}
        }
        Ok(true)
    }

    fn sub_table_from_dict(
        &mut self,
        current: &Map<String, Value>,
        indent_level: usize,
    ) -> Result<(), TableError> {
        let (headers, more) = group_scalar_keys(current);
        match headers.as_slice() {
            [] => {}
            [only] => {
                let value = current.get(only).map(python::str).unwrap_or_default();
                self.current().add_row(vec![only.clone(), value])?;
            }
            _ => {
                let row = headers
                    .iter()
                    .map(|h| current.get(h).map(python::str).unwrap_or_default())
                    .collect();
                self.current().add_header(headers);
                self.current().add_row(row)?;
            }
        }
        for key in more {
            if let Some(value) = current.get(&key) {
                self.build(Some(&key), value, indent_level + 1)?;
            }
        }
        Ok(())
    }

    fn sub_table_from_list(
        &mut self,
        current: &[Value],
        indent_level: usize,
        title: Option<&str>,
    ) -> Result<(), TableError> {
        let mut headers = Vec::new();
        let mut more = Vec::new();
        for map in current.iter().filter_map(Value::as_object) {
            let (h, m) = group_scalar_keys(map);
            headers.extend(h);
            more.extend(m);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current().add_header(headers.clone());
        for (i, element) in current.iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent_level);
                self.current().add_header(headers.clone());
            }
            let map = element.as_object();
            let row = headers
                .iter()
                .map(|h| {
                    map.and_then(|m| m.get(h))
                        .map(python::str)
                        .unwrap_or_default()
                })
                .collect();
            self.current().add_row(row)?;
            for key in &more {
                if let Some(value) = map.and_then(|m| m.get(key)) {
                    self.build(Some(key), value, indent_level + 1)?;
                }
            }
        }
        Ok(())
    }

    /// `MultiTable.render`.
    fn render(mut self, terminal_width: usize) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            self.convert_to_vertical();
            max_width = self.max_width();
        }
        let mut out = String::new();
        out.push_str(&"-".repeat(max_width));
        out.push('\n');
        for section in &self.sections {
            render_section(section, max_width, &mut out);
        }
        out
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }

    /// Single-row sections become key/value rows.
    fn convert_to_vertical(&mut self) {
        for section in &mut self.sections {
            if section.rows.len() != 1 || section.headers.is_empty() {
                continue;
            }
            let mut vertical = Section::titled(section.title.as_deref(), section.indent_level);
            let row = std::mem::take(&mut section.rows[0]);
            for (header, element) in section.headers.iter().zip(row) {
                // Every row has two elements: this cannot fail.
                let _ = vertical.add_row(vec![header.clone(), element]);
            }
            *section = vertical;
        }
    }
}

/// A dict's keys: those of scalar values, then the others, each sorted.
fn group_scalar_keys(current: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let (mut headers, mut more): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (k, v) in current {
        if is_scalar(v) {
            headers.push(k.clone());
        } else {
            more.push(k.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

fn spaces(n: i64) -> String {
    " ".repeat(n.max(0) as usize)
}

/// `center_text`.
fn center_text(text: &str, length: usize, left_edge: &str, right_edge: &str) -> String {
    let text_length = text_length(text) as i64;
    let length = length as i64;
    let char_start = length / 2 - text_length / 2 - 1;
    let so_far = left_edge.len() as i64 + char_start + text_length;
    let right = length - right_edge.len() as i64 - so_far;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        spaces(char_start),
        spaces(right)
    )
}

/// `align_left` with a left padding of two.
fn align_left(text: &str, length: usize, left_edge: &str, right_edge: &str) -> String {
    let text_length = text_length(text) as i64;
    let length = length as i64;
    let edges = left_edge.len() as i64 + right_edge.len() as i64;
    let padding = if length - (text_length + 2 + edges) >= 0 {
        2
    } else {
        0
    };
    let so_far = left_edge.len() as i64 + padding + text_length;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        spaces(padding),
        spaces(length - so_far - right_edge.len() as i64)
    )
}

fn line_break(widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            line.push('+');
            line.push_str(&"-".repeat(w.saturating_sub(2)));
        } else {
            line.push_str(&"-".repeat(w.saturating_sub(1)));
        }
        line.push('+');
    }
    line
}

/// Writes a section, each line between `|` of its indentation (`IndentedStream`).
fn render_section(section: &Section, max_width: usize, out: &mut String) {
    let indent = "|".repeat(section.indent_level);
    let mut line = |text: &str| {
        out.push_str(&indent);
        out.push_str(text);
        out.push_str(&indent);
        out.push('\n');
    };
    let max_width = max_width.saturating_sub(section.indent_level * 2);
    if let Some(title) = section.title.as_deref().filter(|t| !t.is_empty()) {
        line(&center_text(title, max_width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(&format!("+{}+", "-".repeat(max_width.saturating_sub(2))));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(max_width);
        let mut titles = String::new();
        for (i, (width, header)) in widths.iter().zip(&section.headers).enumerate() {
            titles.push_str(&center_text(
                header,
                *width,
                if i == 0 { "|" } else { "" },
                "|",
            ));
        }
        line(&line_break(&widths));
        line(&titles);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(max_width);
        if widths.is_empty() {
            return;
        }
        line(&line_break(&widths));
        for row in &section.rows {
            let mut text = String::new();
            for (i, (width, element)) in widths.iter().zip(row).enumerate() {
                text.push_str(&align_left(
                    element,
                    *width,
                    if i == 0 { "|" } else { "" },
                    "|",
                ));
            }
            line(&text);
        }
        line(&line_break(&widths));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(value: &Value) -> String {
        render("GetBackend", value, 80).unwrap().unwrap_or_default()
    }

    // The expected tables are what awscli 1.42.61's TableFormatter prints for the same
    // values (not on a terminal, so 80 columns).

    #[test]
    fn a_dict_of_scalars_is_a_header_row_and_a_value_row() {
        assert_eq!(
            table(&json!({"AppId": "a1", "AppName": "App"})),
            "----------------------\n|     GetBackend     |\n+--------+-----------+\n|  AppId |  AppName  |\n+--------+-----------+\n|  a1    |  App      |\n+--------+-----------+\n"
        );
    }

    #[test]
    fn one_scalar_is_a_key_value_row_and_lists_are_sub_sections() {
        assert_eq!(
            table(&json!({"AppId": "a1", "BackendEnvironmentList": ["dev", "prod"]})),
            "--------------------------\n|       GetBackend       |\n+--------------+---------+\n|  AppId       |  a1     |\n+--------------+---------+\n||BackendEnvironmentList||\n|+----------------------+|\n||  dev                 ||\n||  prod                ||\n|+----------------------+|\n"
        );
    }

    #[test]
    fn a_scalar_prints_the_title_only_and_empty_values_nothing() {
        assert_eq!(
            table(&json!("a1")),
            "------------\n|GetBackend|\n+----------+\n"
        );
        for empty in [
            json!(null),
            json!([]),
            json!({}),
            json!(""),
            json!(0),
            json!(false),
        ] {
            assert_eq!(render("GetBackend", &empty, 80).unwrap(), None);
        }
    }

    #[test]
    fn a_list_of_dicts_has_one_header_row_and_wide_tables_turn_vertical() {
        let jobs = json!([
            {"JobId": "1", "Status": "COMPLETED"},
            {"JobId": "2", "Status": "RUNNING", "Error": "e"}
        ]);
        assert_eq!(
            table(&jobs),
            "---------------------------------\n|          GetBackend           |\n+-------+---------+-------------+\n| Error |  JobId  |   Status    |\n+-------+---------+-------------+\n|       |  1      |  COMPLETED  |\n|  e    |  2      |  RUNNING    |\n+-------+---------+-------------+\n"
        );
        let wide = json!({"A": "x".repeat(50), "B": "y".repeat(40)});
        assert_eq!(
            table(&wide),
            format!(
                "{}\n|{}GetBackend{}|\n+---+{}+\n|  A|  {}   |\n|  B|  {}             |\n+---+{}+\n",
                "-".repeat(61),
                " ".repeat(24),
                " ".repeat(25),
                "-".repeat(55),
                "x".repeat(50),
                "y".repeat(40),
                "-".repeat(55)
            )
        );
    }

    #[test]
    fn rows_of_different_lengths_fail_as_in_the_aws_cli() {
        let err = render("T", &json!([["a"], ["b", "c"]]), 80).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Row should have 1 elements, instead it has 2"
        );
    }
}
