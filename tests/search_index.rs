//! The archive as ingest, search, show and export use it: upserts, commits, read-only
//! opens, number lookups, full text, filters, facets, fuzzy matching and bad queries —
//! on real tantivy indexes in temporary folders.

#[path = "search_support/mod.rs"]
mod support;

use support::{archive_with, sample_documents, Doc};
use vanban::index::{Archive, MatchKind, QueryKind, SearchError, SearchRequest, SearchResults};

fn search(archive: &Archive, query: &str) -> SearchResults {
    search_with(archive, SearchRequest { query: query.to_string(), limit: 10, ..SearchRequest::default() })
}

fn search_with(archive: &Archive, request: SearchRequest) -> SearchResults {
    archive.search(&request).unwrap_or_else(|e| panic!("{:?} failed: {e}", request.query))
}

fn ids(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.record_id.as_str()).collect()
}

#[test]
fn upsert_replaces_a_changed_record_and_never_duplicates() {
    let first = Doc::new("plan", &["kế hoạch chỉnh trang đô thị"]).build_with_hash("aaa");
    let changed = Doc::new("plan", &["kế hoạch phòng chống thiên tai"]).build_with_hash("bbb");
    let (dir, archive) = archive_with(&[first.clone()]);
    assert_eq!(archive.known_hash("plan").unwrap().as_deref(), Some("aaa"));

    let mut writer = archive.writer().unwrap();
    writer.upsert(&changed).unwrap();
    writer.upsert(&changed).unwrap();
    writer.commit().unwrap();
    drop(writer);

    let reader = Archive::open_read_only(dir.path()).unwrap();
    let records = reader.records().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].sha256, "bbb");
    assert_eq!(reader.known_hash("plan").unwrap().as_deref(), Some("bbb"));
    assert_eq!(search(&reader, "thiên tai").total, 1);
    assert_eq!(search(&reader, "\"chỉnh trang\"").total, 0, "the old text must be gone from the index");
    assert_eq!(reader.known_hash("absent").unwrap(), None);
}

#[test]
fn uncommitted_documents_are_invisible_and_a_dropped_writer_keeps_the_last_commit() {
    let kept = Doc::new("kept", &["văn bản đã lưu"]).build();
    let lost = Doc::new("lost", &["văn bản chưa lưu"]).build();
    let (dir, archive) = archive_with(&[kept]);
    let mut writer = archive.writer().unwrap();
    writer.upsert(&lost).unwrap();

    let concurrent = Archive::open_read_only(dir.path()).expect("read-only open while a writer holds the lock");
    assert_eq!(ids(&search(&concurrent, "văn bản")), ["kept"]);
    drop(writer); // like a killed ingest: no commit

    let reopened = Archive::open_or_create(dir.path()).unwrap();
    let records = reopened.records().unwrap();
    assert_eq!(records.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["kept"]);
    assert_eq!(reopened.known_hash("lost").unwrap(), None, "a rerun must ingest it again");
}

#[test]
fn search_sees_what_a_running_ingest_has_committed() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open_or_create(dir.path()).unwrap();
    let mut writer = archive.writer().unwrap();
    writer.upsert(&Doc::new("one", &["báo cáo thứ nhất"]).build()).unwrap();
    writer.commit().unwrap();
    assert_eq!(search(&Archive::open_read_only(dir.path()).unwrap(), "báo cáo").total, 1);
    writer.upsert(&Doc::new("two", &["báo cáo thứ hai"]).build()).unwrap();
    writer.commit().unwrap();
    assert_eq!(search(&Archive::open_read_only(dir.path()).unwrap(), "báo cáo").total, 2);

    let second = archive.writer().err().expect("a second writer must be refused");
    assert!(format!("{second:#}").contains("another `vanban ingest`"), "{second:#}");
}

#[test]
fn a_damaged_record_is_named_and_deleting_it_makes_ingest_redo_the_file() {
    let (dir, archive) = archive_with(&[Doc::new("plan", &["kế hoạch"]).build()]);
    // Its one record file, `plan@<source hash>.json`.
    let record = std::fs::read_dir(dir.path().join("records")).unwrap().next().unwrap().unwrap().path();
    assert!(record.file_name().unwrap().to_str().unwrap().starts_with("plan@"), "{}", record.display());
    std::fs::write(&record, b"{ not json").unwrap();
    let err = archive.records().err().expect("a damaged record is an error");
    let message = format!("{err:#}");
    assert!(message.contains(&record.display().to_string()) && message.contains("delete it"), "{message}");
    assert!(archive.known_hash("plan").unwrap().is_some());
    std::fs::remove_file(&record).unwrap();
    assert_eq!(archive.known_hash("plan").unwrap(), None, "ingest must not skip it as unchanged");
}

#[test]
fn read_only_open_of_a_missing_index_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let err = Archive::open_read_only(&dir.path().join("nowhere")).err().unwrap();
    assert!(format!("{err:#}").contains("vanban ingest"), "{err:#}");
}

#[test]
fn number_lookup_returns_the_document_then_every_document_citing_it() {
    let (_dir, archive) = archive_with(&sample_documents());
    for query in ["25-NQ/TW", "25-nq/tw", "25 - NQ / TW", "25-NQ-TW", "25-NQ/TƯ", "Nghị quyết 25-NQ/TW", "nghi quyet so 25-NQ/TW"] {
        let results = search(&archive, query);
        assert_eq!(results.kind, QueryKind::Number, "{query}");
        assert_eq!(results.total, 3, "{query}");
        assert_eq!(results.hits[0].record_id, "nq25", "{query}: the document itself comes first");
        assert_eq!(results.hits[0].match_kind, MatchKind::Document);
        let mut citing: Vec<&str> = results.hits[1..].iter().map(|h| h.record_id.as_str()).collect();
        citing.sort();
        assert_eq!(citing, ["bc312", "kh107"], "{query}");
        assert!(results.hits[1..].iter().all(|h| h.match_kind == MatchKind::Cites));
    }
    let results = search(&archive, "25-NQ/TW");
    let report = results.hits.iter().find(|h| h.record_id == "bc312").unwrap();
    let snippet = &report.snippets[0];
    assert_eq!((snippet.page, snippet.line), (2, 2));
    assert!(snippet.text.starts_with("Huyện ủy đã quán triệt"), "{}", snippet.text);
    let [start, end] = snippet.highlights[0];
    assert_eq!(snippet.text.chars().skip(start).take(end - start).collect::<String>(), "25-NQ/TW");
}

#[test]
fn number_lookup_forgives_qd_and_nd() {
    let (_dir, archive) = archive_with(&sample_documents());
    assert_eq!(ids(&search(&archive, "1582/QD-UBND")), ["qd1582"]);
    assert_eq!(ids(&search(&archive, "QĐ số 1582/qđ-ubnd")), ["qd1582"]);
    let cited = search(&archive, "30/2020/ND-CP");
    assert_eq!(cited.number.as_deref(), Some("30/2020/NĐ-CP"), "shown in the official casing");
    assert_eq!(ids(&cited), ["qd1582"]);
    assert_eq!(cited.hits[0].match_kind, MatchKind::Cites, "the decree is cited but not held");
}

#[test]
fn provincial_tu_is_not_central_tw() {
    let (_dir, archive) = archive_with(&sample_documents());
    assert_eq!(ids(&search(&archive, "31-KL/TU")), ["bc312"]);
    let central = search(&archive, "31-KL/TW");
    assert!(central.hits.iter().all(|h| h.match_kind == MatchKind::Text), "31-KL/TW is a different document");
}

#[test]
fn a_number_among_other_words_matches_citations_and_is_never_fuzzy() {
    let (_dir, archive) = archive_with(&sample_documents());
    assert_eq!(ids(&search(&archive, "25-NQ/TW type:KH")), ["kh107"]);
    let mut citing = ids(&search(&archive, "quán triệt OR thực 25-nq-tw")).into_iter().map(String::from).collect::<Vec<_>>();
    citing.sort();
    assert_eq!(citing, ["bc312", "kh107"]);
    let marked = &search(&archive, "25-nq-tw type:KH").hits[0].snippets[0];
    let [start, end] = marked.highlights[0];
    assert_eq!(marked.text.chars().skip(start).take(end - start).collect::<String>(), "25-NQ/TW");
    let near_miss = search(&archive, "26-NQ/TW type:KH");
    assert_eq!(near_miss.total, 0, "26-NQ/TW is another document: {:?}", ids(&near_miss));
}

#[test]
fn an_unknown_number_falls_back_to_the_text() {
    let docs = vec![Doc::new("memo", &["Xem công văn 77-CV/VPTU về lịch họp."]).build()];
    let (_dir, archive) = archive_with(&docs);
    let results = search(&archive, "77-CV/VPTU");
    assert_eq!(results.kind, QueryKind::Text);
    assert_eq!(ids(&results), ["memo"]);
    assert!(results.notices.iter().any(|n| n.contains("77-CV/VPTU")), "{:?}", results.notices);
}

#[test]
fn accent_insensitive_search_ranks_exact_matches_first() {
    let docs = vec![
        Doc::new("folded-only", &["Báo cáo công tác dan van của xã năm nay"]).build(),
        Doc::new("exact", &["Báo cáo công tác dân vận của xã năm nay"]).build(),
        Doc::new("other-accents", &["Báo cáo công tác dẫn vấn của xã năm nay"]).build(),
        Doc::new("unrelated", &["Báo cáo công tác thi đua của xã năm nay"]).build(),
    ];
    let (_dir, archive) = archive_with(&docs);
    let mut unaccented = ids(&search(&archive, "dan van")).into_iter().map(String::from).collect::<Vec<_>>();
    unaccented.sort();
    assert_eq!(unaccented, ["exact", "folded-only", "other-accents"]);
    let accented = search(&archive, "dân vận");
    assert_eq!(accented.total, 3);
    assert_eq!(accented.hits[0].record_id, "exact");
    assert!(accented.hits[0].score > accented.hits[1].score);
    // Upper case and đ fold too.
    assert_eq!(search(&archive, "DAN VAN").total, 3);
}

#[test]
fn words_typed_side_by_side_rank_documents_with_them_side_by_side_first() {
    let docs = vec![
        Doc::new("apart", &["Dân cư trong xã được phổ biến văn bản mới, vận động thực hiện"]).build(),
        Doc::new("together", &["Các xã tăng cường công tác dân vận, phổ biến văn bản mới tới người"]).build(),
    ];
    let (_dir, archive) = archive_with(&docs);
    let results = search(&archive, "dan van");
    assert_eq!(results.total, 2);
    assert_eq!(results.hits[0].record_id, "together");
}

#[test]
fn phrases_boolean_operators_and_highlighted_snippets() {
    let (_dir, archive) = archive_with(&sample_documents());
    assert_eq!(ids(&search(&archive, "\"chỉnh trang đô thị\"")).len(), 2);
    let phrase = search(&archive, "\"đô thị chỉnh trang\"");
    assert_eq!(phrase.total, 0, "word order matters inside quotes");

    let mut both = ids(&search(&archive, "chỉnh trang")).into_iter().map(String::from).collect::<Vec<_>>();
    both.sort();
    assert_eq!(both, ["kh107", "qd1582"]);
    assert_eq!(ids(&search(&archive, "chỉnh trang NOT thư")), ["kh107"]);
    assert_eq!(ids(&search(&archive, "chỉnh trang -\"văn thư\"")), ["kh107"]);
    let either = search(&archive, "\"văn thư\" OR \"tiếp công dân\"");
    assert_eq!(either.total, 2);

    let hit = &search(&archive, "\"văn thư\"").hits[0];
    assert_eq!(hit.record_id, "qd1582");
    let snippet = &hit.snippets[0];
    assert_eq!((snippet.page, snippet.line), (2, 1));
    let marked: Vec<String> =
        snippet.highlights.iter().map(|&[s, e]| snippet.text.chars().skip(s).take(e - s).collect()).collect();
    assert_eq!(marked, ["văn", "thư"]);
}

#[test]
fn field_filters_and_date_ranges() {
    let (_dir, archive) = archive_with(&sample_documents());
    assert_eq!(ids(&search(&archive, "type:\"kế hoạch\"")), ["kh107"]);
    assert_eq!(ids(&search(&archive, "type:KH")), ["kh107"]);
    let mut province = ids(&search(&archive, "issuer:\"binh phuoc\"")).into_iter().map(String::from).collect::<Vec<_>>();
    province.sort();
    assert_eq!(province, ["kh107", "qd1582"]);
    assert_eq!(ids(&search(&archive, "chỉnh trang year:2025")), ["qd1582"]);
    assert_eq!(search(&archive, "year:2023..2024").total, 3);
    let mut citing = ids(&search(&archive, "cites:25-nq/tw")).into_iter().map(String::from).collect::<Vec<_>>();
    citing.sort();
    assert_eq!(citing, ["bc312", "kh107"]);
    assert_eq!(ids(&search(&archive, "date:2024-04-01..2024-04-30")), ["kh107"]);
    let ranged = search_with(&archive, SearchRequest {
        query: "công tác".into(),
        limit: 10,
        from: Some("2024".into()),
        to: Some("31/12/2024".into()),
        ..SearchRequest::default()
    });
    assert_eq!(ids(&ranged), ["kh107"]);
    let number_in_range = search_with(&archive, SearchRequest {
        query: "25-NQ/TW".into(),
        limit: 10,
        from: Some("2024-01-01".into()),
        ..SearchRequest::default()
    });
    assert_eq!(ids(&number_in_range), ["kh107"]);
}

#[test]
fn facet_counts_by_type_issuer_and_year() {
    let (_dir, archive) = archive_with(&sample_documents());
    let results = search_with(&archive, SearchRequest { query: "*".into(), limit: 1, facets: true, ..SearchRequest::default() });
    assert_eq!(results.total, 5);
    let facets = results.facets.expect("facets requested");
    let count = |values: &[vanban::index::FacetValue], v: &str| values.iter().find(|f| f.value == v).map(|f| f.count);
    assert_eq!(count(&facets.issuer, "UBND tỉnh Bình Phước"), Some(2));
    assert_eq!(facets.issuer[0].value, "UBND tỉnh Bình Phước", "most frequent first");
    assert_eq!(count(&facets.doc_type, "Nghị quyết"), Some(1));
    assert_eq!(count(&facets.year, "2024"), Some(2));
    assert_eq!(facets.year.iter().map(|f| f.count).sum::<u64>(), 5);
}

#[test]
fn a_word_found_nowhere_falls_back_to_fuzzy_matches_marked_as_such() {
    let (_dir, archive) = archive_with(&sample_documents());
    let results = search(&archive, "chỉnh trsng");
    assert!(results.total >= 2, "{:?}", ids(&results));
    assert!(results.hits.iter().all(|h| h.fuzzy));
    assert!(results.notices.iter().any(|n| n.contains("trsng")), "{:?}", results.notices);
    assert!(!search(&archive, "chỉnh trang").hits.iter().any(|h| h.fuzzy), "exact words are not fuzzy");
}

#[test]
fn bad_queries_get_a_message_not_a_panic() {
    let (_dir, archive) = archive_with(&sample_documents());
    let repaired = search(&archive, "\"chỉnh trang");
    assert_eq!(repaired.total, 2);
    assert!(!repaired.notices.is_empty());
    for query in ["AND", "NOT", "OR OR", "(", ")", "\"", "-", "type:", "*:*", "\u{0}\u{7}", "::::", "((((((((((", "日本語"] {
        let request = SearchRequest { query: query.into(), limit: 10, ..SearchRequest::default() };
        match archive.search(&request) {
            Ok(_) => {}
            Err(SearchError::Query(err)) => assert!(!err.to_string().is_empty()),
            Err(err) => panic!("{query:?}: {err}"),
        }
    }
    let long = "dân vận ".repeat(1300);
    let err = archive.search(&SearchRequest { query: long, limit: 10, ..SearchRequest::default() }).err().unwrap();
    assert!(err.to_string().contains("limit"), "{err}");
    let control = search(&archive, "chỉnh\u{1}trang");
    assert_eq!(control.total, 2);
    let bad_year = archive.search(&SearchRequest { query: "year:abc".into(), limit: 10, ..SearchRequest::default() });
    assert!(matches!(bad_year, Err(SearchError::Query(_))));
    let bad_date = archive.search(&SearchRequest { query: "x".into(), limit: 10, from: Some("soon".into()), ..SearchRequest::default() });
    assert!(matches!(bad_date, Err(SearchError::Query(_))));
}

#[test]
fn find_by_record_id_path_or_number() {
    let (_dir, archive) = archive_with(&sample_documents());
    assert_eq!(archive.find("kh107").unwrap()[0].id, "kh107");
    assert_eq!(archive.find("/scans/kh107.pdf").unwrap()[0].id, "kh107");
    assert_eq!(archive.find("107/kh-ubnd").unwrap()[0].id, "kh107");
    assert_eq!(archive.find("Nghị quyết số 25-NQ/TƯ").unwrap()[0].id, "nq25");
    assert!(archive.find("999/XX-YY").unwrap().is_empty());
}

#[test]
fn a_number_only_a_candidate_reading_gives_is_found_marked_as_unsure() {
    use vanban::header::{Candidate, Evidence, EvidenceKind, FieldEvidence, Origin};
    // A handwritten "280" read as 230 by one source and 280 by another: stored as 230 and
    // flagged, with 280 among its candidates.
    let mut report = Doc::new("bc230", &["Báo cáo kết quả thực hiện"]).number("230/BC-UBND", "Báo cáo").build();
    let source = |kind, text: &str| Evidence { kind, text: text.to_owned(), confidence: 0.5, page: Some(1), agrees: true };
    report.metadata.evidence.number = Some(FieldEvidence {
        confidence: 0.4,
        needs_review: true,
        origin: Origin::Read,
        reason: Some("hai nguồn không khớp".to_owned()),
        candidates: vec![
            Candidate { value: "230/BC-UBND".to_owned(), confidence: 0.4, sources: vec![source(EvidenceKind::Handwriting, "230")] },
            Candidate { value: "280/BC-UBND".to_owned(), confidence: 0.35, sources: vec![source(EvidenceKind::FileName, "280 BC.pdf")] },
        ],
    });
    let mut docs = sample_documents();
    docs.push(report);
    let (_dir, archive) = archive_with(&docs);

    let results = search(&archive, "280/BC-UBND");
    assert_eq!(ids(&results), ["bc230"]);
    assert_eq!(results.hits[0].match_kind, MatchKind::Candidate);
    let results = search(&archive, "230/BC-UBND");
    assert_eq!(results.hits[0].match_kind, MatchKind::Document);
    let note = results.hits[0].number_note.as_deref().expect("an unsure number carries its note");
    assert!(note.starts_with("cần kiểm tra") && note.contains("280/BC-UBND"), "{note}");
    // A sure document's own number is never shadowed by another's candidate.
    assert_eq!(search(&archive, "107/KH-UBND").hits[0].record_id, "kh107");
}

#[test]
fn a_signers_name_finds_the_documents_he_signed_after_those_naming_him() {
    // The signer is often read only from the signature block's second reading, so his
    // name is not in the page text; the plan names him in its text.
    let mut signed = support::Doc::new("qd51", &["Số: 51/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc phê duyệt dự toán"]).number("51/QĐ-UBND", "Quyết định").build();
    signed.metadata.signer = Some("Trần Phước Hiền".into());
    let naming = support::Doc::new("kh9", &["Số: 9/KH-UBND\nKẾ HOẠCH\nGiao đồng chí Trần Phước Hiền, Phó Chủ tịch, chỉ đạo"]).number("9/KH-UBND", "Kế hoạch").build();
    let mut docs = sample_documents();
    docs.extend([signed, naming]);
    let (_dir, archive) = archive_with(&docs);
    for typed in ["Trần Phước Hiền", "tran phuoc hien", "\"Trần Phước Hiền\""] {
        assert_eq!(ids(&search(&archive, typed)), ["kh9", "qd51"], "{typed}");
    }
    // A name's words apart in the text are no phrase, and a word of the name is still a word.
    assert!(ids(&search(&archive, "\"Phước Trần\"")).is_empty());
    assert_eq!(ids(&search(&archive, "hien")).first(), Some(&"kh9"));
}
