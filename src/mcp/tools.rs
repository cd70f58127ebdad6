//! The tools the server offers, each a thin adapter from MCP to the library: `check` and `fix`
//! answer in the JSON report's shape ([`crate::json_report`]), `count_tokens` in `count
//! --format json`'s ([`crate::count`]), `explain_rule` with the rule's page
//! ([`crate::rules::docs`]), `explain_error` with `explain-error --format json`'s report
//! ([`crate::explain_error`]). Input schemas come from the parameter types, output schemas from
//! the result types (rmcp derives both with schemars).
//!
//! Errors: a request the tool cannot serve (no such file, an unknown language or rule) is
//! answered with an error result whose text says why, which the agent reads and corrects;
//! arguments of the wrong shape are refused by rmcp with a JSON-RPC `invalid params` error.
//! Work runs on tokio's blocking pool, so a panic in it becomes an `internal error` answer
//! and the server lives on.

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::IntoCallToolResult;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResponse, CallToolResult, ContentBlock};
use rmcp::{ErrorData, Json, ServerHandler, tool, tool_handler, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::source::{Input, Source};
use crate::analyze::{self, Analysis};
use crate::count;
use crate::explain_error::{self, Request};
use crate::fix::Applicability;
use crate::json_report::{self, JsonDiagnostic, JsonReport, Summary};
use crate::redact::Redactor;
use crate::rules::docs::{self, RuleInfo};
use crate::settings::Settings;
use crate::syntax::LineIndex;

/// The MCP server: the tools, and the date lifecycle rules compare against.
#[derive(Debug, Clone)]
pub struct Server {
    /// A fixed "today" (tests), else the real date at each call.
    today: Option<jiff::civil::Date>,
    tool_router: ToolRouter<Self>,
}

/// The arguments of `fix`.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct FixParams {
    #[serde(flatten)]
    source: Source,
    /// Also apply the unsafe fixes (they change what the request means: a trimmed
    /// conversation, another model). Safe fixes only when false or absent.
    #[serde(default, rename = "unsafe")]
    unsafe_fixes: bool,
}

/// The arguments of `count_tokens`.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct CountParams {
    #[serde(flatten)]
    source: Source,
    /// Estimate for this model (an id such as `claude-sonnet-4-5`) instead of the one each
    /// request names.
    model: Option<String>,
}

/// The arguments of `explain_rule`.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct RuleParams {
    /// A rule's name (`openai-parameter`) or code (`O101`), as findings report them.
    rule: String,
}

/// The arguments of `explain_error`.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ErrorParams {
    /// The API error as it was pasted: the JSON error body, a log line, or an SDK exception's
    /// text (`anthropic.BadRequestError: Error code: 400 - {...}`).
    error: String,
    /// The request the error answered, to find the place the error names in it: `text` with
    /// a `language` or `file_name`, or a `path`. Leave them out to classify the error alone.
    #[serde(flatten)]
    source: Source,
    /// For a file with several requests (calls in code, YAML documents, JSON Lines), the
    /// 1-based line of the one the error is about.
    line: Option<usize>,
}

/// What `check` answers: the findings in `check --format json`'s shape, and why the input was
/// or was not taken as a Claude request.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Checked {
    #[serde(flatten)]
    report: JsonReport,
    /// Why nothing in the input was analysed (a binary file, or one that is neither UTF-8 nor
    /// recognisably a request); null when it was analysed.
    skipped: Option<String>,
    /// Why each document in the input was or was not taken as a Claude request.
    discovery: Vec<DiscoveryNote>,
}

/// Why one document was or was not taken as a Claude request.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct DiscoveryNote {
    /// The 1-based line the document starts on.
    line: usize,
    /// The reason.
    reason: String,
}

/// What `fix` answers: the fixed text, and the findings that remain in it.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Fixed {
    /// The text with the fixes applied (`summary.fixed` says how many), each API key in it
    /// masked; null when the input holds no Claude request, so there was nothing to fix.
    text: Option<String>,
    /// How many API keys `text` shows masked. When this is not 0, apply the fixes' edits
    /// instead of writing `text` over the file, or the keys are lost.
    masked_keys: usize,
    #[serde(flatten)]
    remaining: Checked,
}

/// What `explain_rule` answers.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct RuleDoc {
    #[serde(flatten)]
    info: RuleInfo,
    /// The rule's documentation page in Markdown: what it does, why, an example, the fix.
    documentation: String,
}

/// Why a tool could not answer.
#[derive(Debug)]
pub(crate) enum ToolError {
    /// The request cannot be served as asked: an error result the agent reads and corrects.
    Input(String),
    /// The server failed (a panic, a bug): a JSON-RPC internal error.
    Internal(String),
}

impl IntoCallToolResult for ToolError {
    fn into_call_tool_result(self) -> Result<CallToolResponse, ErrorData> {
        match self {
            ToolError::Input(message) => {
                Ok(CallToolResult::error(vec![ContentBlock::text(message)]).into())
            }
            ToolError::Internal(message) => Err(ErrorData::internal_error(message, None)),
        }
    }
}

/// Runs `job` on the blocking pool (analysis is CPU-bound and reads files); its `Err` is an
/// input error, and a panic in it an internal one.
async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, ToolError> {
    match tokio::task::spawn_blocking(job).await {
        Ok(result) => result.map_err(ToolError::Input),
        Err(_) => Err(ToolError::Internal(
            "claude-preflight failed on this input (a bug: its standard error has the panic)"
                .into(),
        )),
    }
}

#[tool_router]
impl Server {
    /// A server whose lifecycle rules compare against `today` when given, else the real date.
    pub fn new(today: Option<jiff::civil::Date>) -> Self {
        Self {
            today,
            tool_router: Self::tool_router(),
        }
    }

    fn today(&self) -> jiff::civil::Date {
        self.today.unwrap_or_else(|| jiff::Zoned::now().date())
    }

    /// Check a Claude Messages API request before it is sent: a request body (JSON, JSONC,
    /// JSON Lines, YAML) or code that sends one (Python, TypeScript, JavaScript, curl in shell
    /// or Markdown, notebooks). Returns what the API would reject, each finding with its rule,
    /// severity, exact range (1-based lines and columns in characters), the API's answer and,
    /// when one is certain, a fix as text edits. Files that are not Claude requests get no
    /// findings.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn check(
        &self,
        Parameters(source): Parameters<Source>,
    ) -> Result<Json<Checked>, ToolError> {
        let today = self.today();
        blocking(move || {
            let (input, text, analysis) = analyzed(source, today)?;
            Ok(Json(checked(&input.display, &text, analysis, 0)))
        })
        .await
    }

    /// Fix a Claude Messages API request: returns the text with the safe fixes applied (set
    /// `unsafe` to apply the unsafe ones too), and the findings that remain. Nothing is
    /// written: the caller saves the text.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn fix(
        &self,
        Parameters(params): Parameters<FixParams>,
    ) -> Result<Json<Fixed>, ToolError> {
        let today = self.today();
        blocking(move || {
            let (input, text, analysis) = analyzed(params.source, today)?;
            if analysis.payloads == 0 || analysis.skipped.is_some() {
                let remaining = checked(&input.display, &text, analysis, 0);
                return Ok(Json(Fixed {
                    text: None,
                    masked_keys: 0,
                    remaining,
                }));
            }
            let allowed = if params.unsafe_fixes {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            let (text, analysis, fixed) = analyze::fix_until_stable(
                text,
                analysis,
                input.kind,
                &input.display,
                &input.settings,
                allowed,
            );
            Ok(Json(Fixed {
                text: Some(analysis.redactor.mask_source(&text).into_owned()),
                masked_keys: analysis.redactor.ranges().len(),
                remaining: checked(&input.display, &text, analysis, fixed),
            }))
        })
        .await
    }

    /// Estimate a Claude request's input tokens: per message and per kind (system, tools,
    /// text, images, documents, thinking), each as a low/mid/high band, in total, and the
    /// model's context window to compare with. Offline: nothing is sent to the API.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn count_tokens(
        &self,
        Parameters(params): Parameters<CountParams>,
    ) -> Result<CallToolResult, ToolError> {
        let today = self.today();
        blocking(move || {
            let (input, text) = loaded_text(params.source, today)?;
            let counted = count::count(
                &text,
                input.kind,
                &input.display,
                &input.settings,
                params.model.as_deref(),
                None,
            )
            .map_err(|e| format!("`{}`: {e}", input.display))?;
            let report = count::to_json(&[(input.display, counted)]).to_string();
            // Labels show what the file says (a model, a role): they go out through its keys.
            let masked = Redactor::of_text(&text).mask(&report).into_owned();
            let report = serde_json::from_str(&masked).map_err(|e| e.to_string())?;
            Ok(CallToolResult::structured(report))
        })
        .await
    }

    /// Explain a Claude API error (a 400 with its path, a 404 model, a 413, 429, 500, 529, or
    /// an SDK exception): its status, type, `error_code` and request id, what it means and what
    /// to do. Given the request it answered (text or path), also the exact range the error's
    /// path names (1-based lines and columns), the rule that predicts it and that rule's fix.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn explain_error(
        &self,
        Parameters(params): Parameters<ErrorParams>,
    ) -> Result<CallToolResult, ToolError> {
        let today = self.today();
        blocking(move || {
            let ErrorParams {
                error,
                source,
                line,
            } = params;
            let report = if source.text.is_none() && source.path.is_none() {
                explain_error::explain(&error, None, &Settings::new(today))
            } else {
                let (input, text) = loaded_text(source, today)?;
                let request = Request {
                    path: &input.display,
                    text: &text,
                    line,
                    kind: Some(input.kind),
                };
                explain_error::explain(&error, Some(&request), &input.settings)
            };
            let report = serde_json::to_value(&report).map_err(|e| e.to_string())?;
            Ok(CallToolResult::structured(report))
        })
        .await
    }

    /// Explain a rule: its code, name, family, default severity, fix kind and documentation
    /// page (what it does, why, an example, the fix), by name (`openai-parameter`) or code
    /// (`O101`) as findings report them.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn explain_rule(
        &self,
        Parameters(params): Parameters<RuleParams>,
    ) -> Result<Json<RuleDoc>, ToolError> {
        let rule = docs::lookup(params.rule.trim()).map_err(ToolError::Input)?;
        Ok(Json(RuleDoc {
            info: RuleInfo::of(rule),
            documentation: docs::page(rule),
        }))
    }
}

#[tool_handler(
    router = self.tool_router,
    name = "claude-preflight",
    instructions = "Preflight checks for Claude Messages API requests. Call `check` on a request body or on code that sends one (text with a language or file name, or a path) to learn what the API would reject, with exact ranges and fixes; `fix` to get the text with the safe fixes applied; `count_tokens` to see where the tokens go against the model's window; `explain_rule` for a finding's rule; `explain_error` to turn an API error into its meaning and, given the request, the line that caused it."
)]
impl ServerHandler for Server {}

/// Loads the source as text, or says which byte is not UTF-8.
fn loaded_text(source: Source, today: jiff::civil::Date) -> Result<(Input, String), String> {
    let mut input = source.load(today)?;
    let text = String::from_utf8(std::mem::take(&mut input.bytes)).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("`{}` is not valid UTF-8 (at byte {at})", input.display)
    })?;
    Ok((input, text))
}

/// Loads the source and analyses its bytes as `check` does: the input, the text positions
/// refer to, and the analysis.
fn analyzed(source: Source, today: jiff::civil::Date) -> Result<(Input, String, Analysis), String> {
    let input = source.load(today)?;
    let (text, analysis) =
        analyze::analyze_bytes(&input.bytes, input.kind, &input.display, &input.settings);
    let text = text.into_owned();
    Ok((input, text, analysis))
}

/// The findings of one input in the JSON report's shape.
fn checked(display: &str, text: &str, analysis: Analysis, fixed: usize) -> Checked {
    let index = LineIndex::new(text);
    let mut summary = Summary {
        files: 1,
        payloads: analysis.payloads,
        model_references: analysis.model_references,
        fixed,
        ..Summary::default()
    };
    let diagnostics = analysis
        .diagnostics
        .iter()
        .map(|d| {
            summary.count(d.severity);
            JsonDiagnostic::new(display, text, &index, d)
        })
        .collect();
    let discovery = analysis
        .discovery
        .into_iter()
        .map(|(range, reason)| DiscoveryNote {
            line: json_report::span(text, &index, range).start.line,
            reason,
        })
        .collect();
    Checked {
        report: JsonReport {
            version: json_report::VERSION,
            diagnostics,
            summary,
        },
        skipped: analysis.skipped,
        discovery,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_in_a_tool_is_an_internal_error() {
        let answer = blocking(|| -> Result<(), String> { panic!("a bug") }).await;
        let Err(ToolError::Internal(message)) = answer else {
            panic!("not an internal error: {answer:?}");
        };
        let error = ToolError::Internal(message)
            .into_call_tool_result()
            .unwrap_err();
        assert_eq!(error.code, rmcp::model::ErrorCode::INTERNAL_ERROR);
        assert_eq!(
            error.message,
            "claude-preflight failed on this input (a bug: its standard error has the panic)"
        );
    }

    #[tokio::test]
    async fn an_input_error_is_an_error_result() {
        let answer = blocking(|| -> Result<(), String> { Err("no".into()) }).await;
        let Err(error) = answer else {
            panic!("not an error");
        };
        let Ok(CallToolResponse::Complete(result)) = error.into_call_tool_result() else {
            panic!("not a result");
        };
        assert_eq!(result.is_error, Some(true));
        assert_eq!(result.content[0].as_text().unwrap().text, "no");
    }
}
