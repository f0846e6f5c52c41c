//! The REPL driven through whole sessions: the pure `Session` line by line
//! (transcripts are snapshots), the saved scenario file run through
//! `cailiang::scenario` and `cailiang test`, and the binary with piped input.

use cailiang::repl::{Io, Session};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cailiang-repl-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Reads rulesets from the crate; `out/…` lives in a temporary folder.
struct TestIo {
    out: PathBuf,
}

impl TestIo {
    fn real(&self, path: &str) -> PathBuf {
        match path.strip_prefix("out/") {
            Some(rest) => self.out.join(rest),
            None => root().join(path),
        }
    }
}

impl Io for TestIo {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.real(path)).ok()
    }
    fn write(&mut self, path: &str, text: &str) -> Result<(), String> {
        std::fs::write(self.real(path), text).map_err(|e| e.to_string())
    }
    fn absolute(&self, path: &str) -> String {
        self.real(path).to_string_lossy().to_string()
    }
}

fn drive(session: &mut Session, lines: &[&str]) -> String {
    let mut transcript = String::new();
    for line in lines {
        transcript.push_str(&format!("> {line}\n"));
        let out = session.handle(line);
        transcript.push_str(&out.text);
        if out.exit {
            transcript.push_str("（退出）\n");
            break;
        }
    }
    transcript
}

fn run_saved(file: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let sf = cailiang::scenario::parse(&text).unwrap();
    let rpath = file.parent().unwrap().join(&sf.ruleset);
    let loaded = cailiang::cli::load_path(&rpath).unwrap();
    let ruleset = loaded.ruleset.expect("the ruleset loads");
    assert!(!sf.cases.is_empty());
    for sc in &sf.cases {
        let r = cailiang::scenario::run(&ruleset, sc);
        assert_eq!(r, cailiang::scenario::CaseResult::Passed, "{}", sc.name);
    }
    // And through the command line, as legal staff would run it.
    let out = Command::new(env!("CARGO_BIN_EXE_cailiang"))
        .arg("test")
        .arg(file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("{} passed, 0 failed", sf.cases.len())),
        "{stdout}"
    );
}

#[test]
fn a_whole_session_on_the_first_violation_list_becomes_a_passing_scenario_file() {
    let dir = temp_dir("shouwei");
    let mut s = Session::new(Box::new(TestIo { out: dir.clone() }));
    let transcript = drive(
        &mut s,
        &[
            ":载入 rulesets/tax/shouwei-bufa.rules",
            ":事项 发票",
            ":选择 SZ60-1-4",
            ":事实",
            "首次发生 = 是",
            "危害后果轻微 ＝ 是",
            ":日期 违法行为发生日 2024-03-01",
            ":date discovery 2024-05-01",
            ":时点 2024-06-01",
            ":求值 首次、轻微、未改正：罚款",
            ":为什么",
            ":为什么不 第1项",
            "限期内改正 = 是",
            ":eval 首次、轻微、限期内改正：不予处罚",
            ":why",
            "当事人身份 = 单位",
            ":清除 限期内改正",
            "情节严重 = 也许",
            ":选择 SZ62",
            ":whynot 3",
            ":求值 申报期限：身份未定",
            ":保存 out/session.scenarios.yaml",
            ":退出",
        ],
    );
    insta::assert_snapshot!("shouwei_session", transcript);
    assert_eq!(s.recorded().len(), 3);
    run_saved(&dir.join("session.scenarios.yaml"));
}

#[test]
fn whynot_on_amount_thresholds_computes_and_verifies_the_boundary() {
    let dir = temp_dir("luanxian");
    let mut s = Session::new(Box::new(TestIo { out: dir.clone() }));
    let transcript = drive(
        &mut s,
        &[
            ":load rulesets/local-graded/luanxian-pesticide.rules",
            ":matter LX-NY-1",
            "违法所得 = 3.5万",
            ":eval",
            ":whynot 3",
            ":为什么不 1",
            "违法所得 = 5万",
            ":eval",
            ":save out/luanxian.scenarios.yaml",
            ":quit",
        ],
    );
    insta::assert_snapshot!("luanxian_session", transcript);
    assert!(transcript.contains("违法所得 = 50000元"), "{transcript}");
    run_saved(&dir.join("luanxian.scenarios.yaml"));
}

#[test]
fn a_failing_scenario_prints_a_readable_diff() {
    let dir = temp_dir("failing");
    let rules = root().join("rulesets/tax/shouwei-bufa.rules");
    let file = dir.join("wrong.scenarios.yaml");
    let text = format!(
        "ruleset: {}\ncases:\n  - name: 期望写错：首违不罚的案例期望罚款\n    matter: SZ60-1-4\n    facts:\n      首次发生: 是\n      危害后果轻微: 是\n      限期内改正: 是\n    expect:\n      outcome: penalty\n      fine: \"[2000, 10000]\"\n      obligations: [教育]\n  - name: 正确的案例\n    matter: SZ60-1-4\n    facts:\n      首次发生: 否\n    expect:\n      outcome: penalty\n",
        serde_json::to_string(&rules.to_string_lossy()).unwrap()
    );
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cailiang"))
        .arg("test")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout).replace(
        &file.to_string_lossy().to_string(),
        "<tmp>/wrong.scenarios.yaml",
    );
    insta::assert_snapshot!("failing_scenario_diff", stdout);
}

#[test]
fn the_binary_reads_piped_standard_input_without_prompts() {
    let dir = temp_dir("piped");
    let saved = dir.join("piped.scenarios.yaml");
    let input = format!(
        ":选择 SZ60-1-4\n首次发生 = 是\n危害后果轻微 = 是；\\\n发现前主动改正 = 是\n:求值\n:为什么不 第1项\n:保存 {}\n:退出\n",
        saved.display()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_cailiang"))
        .args(["repl", "rulesets/tax/shouwei-bufa.rules"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        !stdout.contains("裁量>") && !stdout.contains("裁量["),
        "{stdout}"
    );
    assert!(!stderr.contains("裁量"), "{stderr}");
    assert!(stdout.contains("结论：不予行政处罚"), "{stdout}");
    assert!(stdout.contains("已适用"), "{stdout}");
    run_saved(&saved);
}

#[test]
fn coverage_reports_unreached_rules_and_boundaries() {
    let dir = temp_dir("coverage");
    let rules = root().join("rulesets/local-graded/luanxian-pesticide.rules");
    let file = dir.join("partial.scenarios.yaml");
    let text = format!(
        "ruleset: {}\ncases:\n  - name: 一般\n    matter: LX-NY-1\n    facts: {{ 违法所得: \"3万\" }}\n",
        serde_json::to_string(&rules.to_string_lossy()).unwrap()
    );
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cailiang"))
        .args(["test", "--coverage"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("没有案例的事项：LX-NY-2"), "{stdout}");
    assert!(stdout.contains("事项 LX-NY-1 阶次 3"), "{stdout}");
    assert!(stdout.contains("50000元"), "{stdout}");
    let out = Command::new(env!("CARGO_BIN_EXE_cailiang"))
        .args(["test", "--coverage", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cov = &doc["coverage"][0]["coverage"];
    assert!(
        cov["unreached"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["kind"] == "grade" && g["id"] == "3")
    );
    assert!(!cov["boundaries"].as_array().unwrap().is_empty());
}
