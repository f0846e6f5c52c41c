use super::*;

const RULES: &str = r#"
规则集 "测试" {
  边界 以上含本数 以下不含本数
}
事实 {
  排放量: 数量 吨
  管理类别: 枚举(简化管理, 重点管理)
  涉重金属: 是否 默认 否
}
事项 W-1 "排放" {
  法定 { 罚款 10万 至 100万 }
  阶次 1 "轻微" 当 排放量 10吨以下 { 罚款 10万 至 20万 }
  阶次 2 "较重" 当 排放量 10吨以上 { 罚款 20万 至 50万 }
}
"#;

fn session() -> Session {
    let mut io = MemIo::default();
    io.files.insert("t.rules".to_string(), RULES.to_string());
    let mut s = Session::new(Box::new(io));
    let out = s.handle(":载入 t.rules");
    assert!(out.text.contains("已载入"), "{}", out.text);
    s
}

#[test]
fn single_matter_is_chosen_and_facts_set_with_units() {
    let mut s = session();
    assert_eq!(s.prompt(), "裁量[W-1]> ");
    let out = s.handle("排放量 ＝ 1500千克");
    assert!(out.text.contains("1.5吨"), "{}", out.text);
    assert!(out.text.contains("阶次 1"), "{}", out.text);
}

#[test]
fn errors_name_the_fact_type_and_values() {
    let mut s = session();
    let out = s.handle("管理类别 = 一般管理");
    assert!(out.text.contains("管理类别"), "{}", out.text);
    assert!(out.text.contains("简化管理、重点管理"), "{}", out.text);
    let out = s.handle("排方量 = 3吨");
    assert!(out.text.contains("是否指：排放量"), "{}", out.text);
    let out = s.handle(":不存在");
    assert!(out.text.starts_with("错误"), "{}", out.text);
    let out = s.handle("胡说八道");
    assert!(out.text.starts_with("错误"), "{}", out.text);
}

#[test]
fn whynot_finds_the_boundary() {
    let mut s = session();
    s.handle("排放量 = 5吨");
    let out = s.handle(":为什么不 2");
    assert!(out.text.contains("排放量 = 10吨"), "{}", out.text);
    assert!(out.text.contains("已验证"), "{}", out.text);
    s.handle("排放量 = 12吨");
    let out = s.handle(":whynot 1");
    assert!(out.text.contains("排放量 = 9.99吨"), "{}", out.text);
}

#[test]
fn continuation_lines_and_quit() {
    let mut s = session();
    let o = s.handle("排放量 = 5吨；\\");
    assert!(o.continued && o.text.is_empty());
    assert_eq!(s.prompt(), "……> ");
    let o = s.handle("涉重金属 = 是");
    assert!(o.text.contains("涉重金属 = 是"), "{}", o.text);
    assert!(s.handle(":退出").exit);
}

#[test]
fn completion_of_commands_facts_and_values() {
    let s = session();
    let (start, c) = s.complete(":wh", 3);
    assert_eq!(start, 0);
    assert!(c.contains(&":why".to_string()) && c.contains(&":whynot".to_string()));
    let (_, c) = s.complete("排", "排".len());
    assert_eq!(c, vec!["排放量".to_string()]);
    let line = "管理类别 = 重";
    let (start, c) = s.complete(line, line.len());
    assert_eq!(c, vec!["重点管理".to_string()]);
    assert_eq!(line.get(start..), Some("重"));
    let (_, c) = s.complete(":选择 W", ":选择 W".len());
    assert_eq!(c, vec!["W-1".to_string()]);
}
