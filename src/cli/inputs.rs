//! What `lint`, `report` and `diff` share: the settings of a run (rules, configuration,
//! facts, reading options) from the command line, layered over the configuration
//! file, and the plan of the files to lint.

use std::path::{Path, PathBuf};

use clap::Args;
use jiff::civil::Date;
use rayon::prelude::*;

use policylint::config::Config;
use policylint::dates::DateOrder;
use policylint::engine::LanguageCheck;
use policylint::input;
use policylint::linters::{LinterOptions, Linters, OptionFlags, RuleFlags};
use policylint::plan::{Job, plan};
use policylint::{FileReport, Format};

use super::RuleSelection;

#[derive(Args)]
pub struct RunSettings {
    #[command(flatten)]
    pub selection: RuleSelection,
    /// Only these rules (ids or globs such as `gdpr/*`, comma-separated); replaces the
    /// configuration's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Rules not to run (ids or globs, comma-separated); added to the configuration's
    /// `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// The configuration file (default: policylint.yaml in this folder or the nearest
    /// one above).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Do not read a configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// The date that date rules measure against (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,
    /// How to read all-numeric dates with slashes such as 04/02/2021.
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrder>,
    /// A fact about the service that decides "where applicable" rules, as NAME=yes or
    /// NAME=no (repeatable); undeclared facts are inferred from the text.
    #[arg(long = "fact", value_name = "NAME=yes|no", value_parser = parse_fact)]
    pub facts: Vec<(String, bool)>,
    /// HTML: also read navigation, page headers and footers, asides and cookie banners.
    #[arg(long)]
    pub keep_chrome: bool,
    /// The policy's language: `auto` skips policies that are not in English (the
    /// rules are English); `en` applies the rules anyway.
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LanguageCheck>,
    /// The name (and so the format) of what `-` reads.
    #[arg(long, value_name = "NAME", default_value = "stdin.md")]
    pub stdin_filename: PathBuf,
    /// Compare each policy with the services these pages load (HTML files, or folders
    /// searched for them; repeatable): the site's built pages or saved pages. An HTML
    /// policy page is always compared with what it loads itself.
    #[arg(long = "site", value_name = "PATH")]
    pub site: Vec<PathBuf>,
    /// Skip (and report as not linted) any file larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = input::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
}

fn parse_fact(text: &str) -> Result<(String, bool), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: write a fact as NAME=yes or NAME=no"))?;
    let value = policylint::config::fact_value(value)
        .ok_or_else(|| format!("`{}`: a fact is yes or no", value.trim()))?;
    Ok((name.trim().to_string(), value))
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a date; write it as YYYY-MM-DD"))
}

impl RunSettings {
    /// Checks the settings, reads the configuration (unless told not to) and layers
    /// the command line over it: the linters every file of the run is linted with.
    pub fn linters(&self) -> miette::Result<Linters> {
        if Format::from_path(&self.stdin_filename).is_none() {
            return Err(miette::miette!(
                help = format!("policylint reads {}", Format::supported()),
                "--stdin-filename `{}` names a file type policylint does not read",
                self.stdin_filename.display()
            ));
        }
        for (i, (name, value)) in self.facts.iter().enumerate() {
            if self.facts[..i].iter().any(|(n, v)| n == name && v != value) {
                return Err(miette::miette!("--fact {name} is declared both yes and no"));
            }
        }
        let config = if self.no_config {
            None
        } else if let Some(path) = &self.config {
            Some(Config::load(path)?)
        } else {
            Config::discover(Path::new("."))?
        };
        self.check_rule_patterns(config.as_ref())?;
        let options = LinterOptions::layered(
            config.as_ref(),
            OptionFlags {
                today: self.today,
                date_order: self.date_order,
                language: self.lang,
                keep_chrome: self.keep_chrome,
            },
        );
        Ok(Linters::new(
            config,
            RuleFlags {
                packs: self.selection.pack.clone(),
                rule_dirs: self.selection.rule_dirs.clone(),
                select: self.select.clone(),
                ignore: self.ignore.clone(),
                facts: self.facts.clone(),
            },
            options,
        )
        .with_site(&self.site))
    }

    /// The jobs that lint `paths` (`-` at most once, for standard input).
    pub fn plan(&self, paths: &[PathBuf], linters: &mut Linters) -> miette::Result<Vec<Job>> {
        if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            return Err(miette::miette!(
                "`-` (standard input) can be given only once"
            ));
        }
        plan(paths, &self.stdin_filename, linters, self.max_file_size)
    }

    /// Runs the jobs in parallel; the reports keep the jobs' order.
    pub fn run(&self, jobs: Vec<Job>) -> Vec<FileReport> {
        jobs.into_par_iter()
            .flat_map_iter(|job| job.run(self.max_file_size))
            .collect()
    }

    /// Checks that each --select and --ignore pattern names a rule.
    fn check_rule_patterns(&self, config: Option<&Config>) -> miette::Result<()> {
        let from_config = config.map(Config::rule_patterns).unwrap_or_default();
        if self.select.is_empty() && self.ignore.is_empty() && from_config.is_empty() {
            return Ok(());
        }
        let mut dirs = self.selection.rule_dirs.clone();
        if let Some(config) = config {
            dirs.extend(config.base.rule_dirs.iter().cloned());
        }
        let ids = policylint::rules::rule_ids(&dirs)?;
        let config_name = config.map_or(String::new(), |c| c.path.display().to_string());
        for (source, pattern) in self
            .select
            .iter()
            .map(|p| ("--select".to_string(), p))
            .chain(self.ignore.iter().map(|p| ("--ignore".to_string(), p)))
            .chain(from_config.iter().map(|p| (config_name.clone(), p)))
        {
            let matcher = policylint::config::rule_glob(pattern)
                .map_err(|e| miette::miette!("{source} `{pattern}`: {e}"))?;
            if !ids.iter().any(|id| matcher.is_match(id)) {
                return Err(miette::miette!(
                    help = "write a rule id such as core/retention-period, or a glob such as gdpr/*; `policylint rules` lists them (custom rules come from --rules and the configuration's `rules`)",
                    "{source}: `{pattern}` matches no rule"
                ));
            }
        }
        Ok(())
    }
}
