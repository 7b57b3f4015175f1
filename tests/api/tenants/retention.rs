//! Retention per business: each business's old rows go by its own ages, and a prune of one
//! business never deletes another's.

use super::*;

/// A finished call of `slug`'s that started `days` before the world's now.
async fn old_call(world: &TwoBusinesses, slug: &str, secret: &str, id: &str, days: i64) {
    let started = at("2026-11-21T15:00:00Z") - chrono::Duration::days(days);
    world
        .call_at(slug, secret, id, "An old call", started)
        .await;
}

/// Whether `slug` still holds the call `id`.
async fn kept(world: &TwoBusinesses, slug: &str, id: &str) -> bool {
    world.db_of(slug).call(id).await.unwrap().is_some()
}

/// The clinic keeps calls 30 days, the salon 400: each business's retention job prunes its own
/// old calls by its own age, and the clinic's shorter age never reaches the salon's calls.
#[tokio::test]
async fn each_business_prunes_its_own_calls_by_its_own_age() {
    let mut world = TwoBusinesses::start_with(
        "Cut & Colour",
        "call_retention_days = 30",
        "call_retention_days = 400",
    )
    .await;
    for (slug, secret, id, days) in [
        ("smile", SMILE_VAPI, "smile-100-days", 100),
        ("smile", SMILE_VAPI, "smile-10-days", 10),
        ("cut", CUT_VAPI, "cut-500-days", 500),
        ("cut", CUT_VAPI, "cut-200-days", 200),
    ] {
        old_call(&world, slug, secret, id, days).await;
    }

    // The jobs started with the service may already have pruned some; reading the file again
    // restarts every business's jobs, and a retention job prunes as it starts, so each runs
    // once more after every call above was recorded.
    assert_eq!(
        world.reloader.reload(&mut world.jobs),
        app::reload::Reloaded::Serving(vec!["smile".to_owned(), "cut".to_owned()])
    );
    let (smile, cut) = (world.db_of("smile"), world.db_of("cut"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let smile_old = smile.call("smile-100-days").await.unwrap();
        let cut_old = cut.call("cut-500-days").await.unwrap();
        if smile_old.is_none() && cut_old.is_none() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "both businesses' oldest calls pruned (clinic's left: {}, salon's left: {})",
            smile_old.is_some(),
            cut_old.is_some()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The clinic's 30 days would have taken the salon's 200-day-old call with its own.
    assert!(
        cut.call("cut-200-days").await.unwrap().is_some(),
        "the salon keeps its calls for 400 days"
    );
    assert!(smile.call("smile-10-days").await.unwrap().is_some());
    // Neither business's handle sees the other's calls, pruned or not.
    assert!(smile.call("cut-200-days").await.unwrap().is_none());
    assert!(cut.call("smile-10-days").await.unwrap().is_none());
}

/// A prune through one business's handle, by the ages of nothing-kept-at-all, leaves every other
/// business's rows whatever their age.
#[tokio::test]
async fn a_prune_of_one_business_leaves_the_others_rows() {
    let world = TwoBusinesses::start().await;
    old_call(&world, "smile", SMILE_VAPI, "smile-old", 900).await;
    old_call(&world, "cut", CUT_VAPI, "cut-old", 900).await;
    let keep_a_day = vapi_cal::db::retention::Retention {
        tool_log_days: 1,
        calls_days: 1,
        transcripts_days: 1,
        email_proofs_days: 1,
        webhook_events_days: 1,
        sync_runs_days: 1,
    };
    let now = at("2026-11-21T15:00:00Z");
    let pruned = world.db_of("cut").prune(keep_a_day, now).await.unwrap();
    assert_eq!(pruned.calls, 1, "{pruned:?}");
    assert!(world.db_of("cut").call("cut-old").await.unwrap().is_none());
    assert!(
        kept(&world, "smile", "smile-old").await,
        "the clinic's call is not the salon's to prune"
    );
}

/// A business removed from the file runs no retention job of its own: its rows age out by the
/// deployment's ages, through the job that prunes businesses no longer served, while the
/// businesses still served keep theirs by their own ages.
#[tokio::test]
async fn a_business_removed_from_the_file_ages_out_by_the_deployments_ages() {
    let mut world = TwoBusinesses::start().await;
    old_call(&world, "smile", SMILE_VAPI, "smile-old", 900).await;
    old_call(&world, "cut", CUT_VAPI, "cut-old", 900).await;
    old_call(&world, "cut", CUT_VAPI, "cut-recent", 10).await;
    let tenants: Vec<String> = world
        .db
        .tenants_with_rows()
        .await
        .unwrap()
        .iter()
        .map(|t| t.as_str().to_owned())
        .collect();
    assert_eq!(tenants, ["cut", "smile"]);

    // The salon leaves the file.
    let path = world.file.0.clone();
    let text = std::fs::read_to_string(&path).unwrap();
    let salon_starts = text.rfind("[[tenant]]").expect("the salon's table");
    std::fs::write(&path, &text[..salon_starts]).unwrap();
    assert_eq!(
        world.reloader.reload(&mut world.jobs),
        app::reload::Reloaded::Serving(vec!["smile".to_owned()])
    );
    assert!(
        world
            .jobs
            .names()
            .contains(&"retention of departed businesses"),
        "{:?}",
        world.jobs.names()
    );

    let keep_a_month = vapi_cal::db::retention::Retention {
        calls_days: 30,
        ..Default::default()
    };
    let now = at("2026-11-21T15:00:00Z");
    let served = [TenantSlug::parse("smile").unwrap()];
    let pruned = world
        .db
        .prune_departed(&served, keep_a_month, now)
        .await
        .unwrap();
    assert_eq!(pruned.len(), 1, "{pruned:?}");
    assert_eq!((pruned[0].0.as_str(), pruned[0].1.calls), ("cut", 1));
    let cut = world.db_of("cut");
    assert!(cut.call("cut-old").await.unwrap().is_none());
    assert!(cut.call("cut-recent").await.unwrap().is_some());
    assert!(
        kept(&world, "smile", "smile-old").await,
        "a business still served is pruned only by its own job and ages"
    );
}
