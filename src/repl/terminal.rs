//! The binary's side of the REPL: rustyline line editing with completion of
//! commands, matter ids, fact names and enum values; history in the user's
//! home folder when writable. With standard input not a terminal, lines are
//! read from it and only the outputs are printed (no prompts).

use super::{FsIo, Session};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::rc::Rc;

struct ReplHelper {
    session: Rc<RefCell<Session>>,
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, words) = match self.session.try_borrow() {
            Ok(s) => s.complete(line, pos),
            Err(_) => (pos, Vec::new()),
        };
        Ok((
            start,
            words
                .into_iter()
                .map(|w| Pair {
                    display: w.clone(),
                    replacement: w,
                })
                .collect(),
        ))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}
impl Highlighter for ReplHelper {}
impl Validator for ReplHelper {}
impl Helper for ReplHelper {}

fn history_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    let p = PathBuf::from(home).join(".cailiang_history");
    // Usable only if we may write it.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&p)
        .ok()?;
    Some(p)
}

/// Runs the REPL on the terminal (or piped standard input); returns the exit code.
pub fn run(initial: &[PathBuf]) -> i32 {
    let session = Rc::new(RefCell::new(Session::new(Box::new(FsIo))));
    let interactive = std::io::stdin().is_terminal();
    let mut stdout = std::io::stdout();
    let mut code = 0;
    if interactive {
        let _ = write!(stdout, "{}", Session::banner());
    }
    for p in initial {
        let path = p.to_string_lossy().to_string();
        let r = session.borrow_mut().load(&path);
        match r {
            Ok(m) => {
                let _ = write!(stdout, "{m}");
            }
            Err(e) => {
                eprintln!("错误：{e}");
                code = crate::cli::exit::INVALID;
            }
        }
    }
    if code != 0 && !interactive {
        return code;
    }
    let config = rustyline::Config::builder()
        .auto_add_history(interactive)
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut rl: Editor<ReplHelper, rustyline::history::DefaultHistory> =
        match Editor::with_config(config) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("错误：无法初始化行编辑：{e}");
                return crate::cli::exit::IO;
            }
        };
    rl.set_helper(Some(ReplHelper {
        session: Rc::clone(&session),
    }));
    let history = if interactive { history_path() } else { None };
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    loop {
        let prompt = session.borrow().prompt();
        match rl.readline(&prompt) {
            Ok(line) => {
                let out = session.borrow_mut().handle(&line);
                let _ = write!(stdout, "{}", out.text);
                let _ = stdout.flush();
                if out.exit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => {
                // Ctrl-C abandons the line, as in a shell.
                continue;
            }
            Err(ReadlineError::Eof) => {
                // A trailing line ending in `\` still runs.
                let out = session.borrow_mut().handle("");
                let _ = write!(stdout, "{}", out.text);
                break;
            }
            Err(e) => {
                eprintln!("错误：{e}");
                code = crate::cli::exit::IO;
                break;
            }
        }
    }
    if let Some(h) = &history {
        let _ = rl.save_history(h);
    }
    code
}
