//! Progress of an apply, on stderr: on a terminal a live view with one
//! line per object (indicatif); otherwise plain lines, one per state change
//! that matters (started, done, failed), so logs and CI output stay
//! readable. Nothing here decides anything.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

pub trait Progress {
    /// An object's current activity (`creating`, `waiting for …`).
    fn update(&self, target: &str, status: &str);
    /// An object reached its end state.
    fn done(&self, target: &str, status: &str);
    fn failed(&self, target: &str, status: &str);
    /// A line of its own.
    fn note(&self, text: &str);
}

/// Plain lines: `  + shop/db: healthy`.
#[derive(Default)]
pub struct PlainProgress {
    last: RefCell<BTreeMap<String, String>>,
}

impl Progress for PlainProgress {
    fn update(&self, target: &str, status: &str) {
        // Only the first activity of each kind, not every pull line.
        let word = status.split_whitespace().next().unwrap_or("").to_string();
        let mut last = self.last.borrow_mut();
        if last.get(target) != Some(&word) {
            eprintln!("  {target}: {status}");
            last.insert(target.to_string(), word);
        }
    }
    fn done(&self, target: &str, status: &str) {
        eprintln!("  {target}: {status}");
    }
    fn failed(&self, target: &str, status: &str) {
        eprintln!("  {target}: FAILED ({status})");
    }
    fn note(&self, text: &str) {
        eprintln!("{text}");
    }
}

/// A live view: a spinner per object, finished lines kept.
pub struct LiveProgress {
    multi: MultiProgress,
    bars: RefCell<BTreeMap<String, ProgressBar>>,
    /// `{prefix:.bold}` or `{prefix}` (no colour with NO_COLOR).
    prefix: &'static str,
}

impl LiveProgress {
    pub fn new(color: bool) -> LiveProgress {
        LiveProgress {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            bars: RefCell::new(BTreeMap::new()),
            prefix: if color { "{prefix:.bold}" } else { "{prefix}" },
        }
    }

    fn style(&self, head: &str) -> ProgressStyle {
        ProgressStyle::with_template(&format!("{head} {} {{wide_msg}}", self.prefix))
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
    }

    fn bar(&self, target: &str) -> ProgressBar {
        let mut bars = self.bars.borrow_mut();
        bars.entry(target.to_string())
            .or_insert_with(|| {
                let b = self.multi.add(ProgressBar::new_spinner());
                b.set_style(self.style("{spinner}"));
                b.set_prefix(target.to_string());
                b.enable_steady_tick(Duration::from_millis(100));
                b
            })
            .clone()
    }
}

impl Progress for LiveProgress {
    fn update(&self, target: &str, status: &str) {
        self.bar(target).set_message(status.to_string());
    }
    fn done(&self, target: &str, status: &str) {
        let b = self.bar(target);
        b.set_style(self.style("✓"));
        b.finish_with_message(status.to_string());
    }
    fn failed(&self, target: &str, status: &str) {
        let b = self.bar(target);
        b.set_style(self.style("✗"));
        b.finish_with_message(status.to_string());
    }
    fn note(&self, text: &str) {
        let _ = self.multi.println(text);
    }
}

/// Discards everything (tests).
pub struct Silent;

impl Progress for Silent {
    fn update(&self, _: &str, _: &str) {}
    fn done(&self, _: &str, _: &str) {}
    fn failed(&self, _: &str, _: &str) {}
    fn note(&self, _: &str) {}
}
