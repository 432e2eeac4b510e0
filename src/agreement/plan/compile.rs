//! Compiling an agreement into its `Plan`: each clause's flows from its kind, pools and top-up
//! targets resolved from names to indices, flows put in evaluation order; and the same plan
//! converted to another number (Monte Carlo's cents).

use super::*;

impl<A: Clone, R: Clone> Plan<A, R> {
    /// The same plan in another number (`money`) and revenue rule (`rule`), or `None` where one
    /// of them cannot be converted (Monte Carlo's cents loop then runs in `Decimal`).
    pub fn try_map<B, S>(
        &self,
        money: impl Fn(&A) -> Option<B>,
        rule: impl Fn(&R) -> Option<S>,
    ) -> Option<Plan<B, S>> {
        let all = |v: &[A]| v.iter().map(&money).collect::<Option<Vec<B>>>();
        let when = |w: &When<A>| -> Option<When<B>> {
            Some(match w {
                When::Period(p) => When::Period(*p),
                When::StreamReaches { stream, threshold, days, active } => When::StreamReaches {
                    stream: *stream,
                    threshold: money(threshold)?,
                    days: days.clone(),
                    active: active.clone(),
                },
                When::CumulativeReaches { stream, threshold, active } => When::CumulativeReaches {
                    stream: *stream,
                    threshold: money(threshold)?,
                    active: active.clone(),
                },
            })
        };
        let flows = self
            .flows
            .iter()
            .map(|f| {
                let due = match &f.due {
                    Due::Revenue { stream, rule: r } => Due::Revenue { stream: *stream, rule: rule(r)? },
                    Due::Fixed(v) => Due::Fixed(all(v)?),
                    Due::TopUp { minimum, of } => Due::TopUp { minimum: all(minimum)?, of: of.clone() },
                    Due::Milestone { amount, when: w } => {
                        Due::Milestone { amount: money(amount)?, when: when(w)? }
                    }
                    Due::Shortfall { commitment, of, period } => {
                        Due::Shortfall { commitment: money(commitment)?, of: *of, period: *period }
                    }
                };
                Some(Flow {
                    clause: f.clause,
                    clause_id: f.clause_id.clone(),
                    kind: f.kind,
                    payer: f.payer,
                    payee: f.payee,
                    category: f.category,
                    pool: f.pool,
                    due,
                    force: f.force,
                    days: f.days.clone(),
                    lag_days: f.lag_days,
                    inputs: f.inputs.clone(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let pools = self
            .pools
            .iter()
            .map(|p| {
                Some(Pool {
                    name: p.name.clone(),
                    amount: money(&p.amount)?,
                    prior: money(&p.prior)?,
                    holds_share: p.holds_share,
                    holds_share_to_microsoft: p.holds_share_to_microsoft,
                    started: p.started.clone(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Plan { flows, pools, periods: self.periods })
    }
}

/// Compiles `agreement` for a run: each clause's flows (its kind's `compile`), references
/// resolved, flows in evaluation order (see the module's comment).
pub fn compile(agreement: &Agreement, run: CompileContext) -> Result<ExactPlan, CompileError> {
    let mut flows: Vec<Flow<Decimal, ExactDue>> = Vec::new();
    let mut pools: Vec<Pool<Decimal>> = agreement
        .cap_pools
        .iter()
        .map(|p| Pool {
            name: p.name.clone(),
            amount: p.amount.value,
            prior: p.prior_payments.as_ref().map_or(Decimal::ZERO, |x| x.value),
            holds_share: false,
            holds_share_to_microsoft: false,
            started: vec![false; run.periods.len()],
        })
        .collect();
    // Per flow, before resolution: its top-up targets and shortfall reference by clause.
    let mut pending: Vec<(Vec<String>, usize)> = Vec::new();
    for (index, clause) in agreement.clauses.iter().enumerate() {
        let force = in_force(agreement, clause, run.agi_declared);
        let context = ClauseContext { run, force, agreement };
        let first_flow = flows.len();
        for spec in clause.compile(&context)? {
            let pool = match &spec.pool {
                PoolRef::None => None,
                PoolRef::Own(amount) => {
                    pools.push(Pool {
                        name: clause.id().to_string(),
                        amount: *amount,
                        prior: Decimal::ZERO,
                        holds_share: false,
                        holds_share_to_microsoft: false,
                        started: vec![false; run.periods.len()],
                    });
                    Some(pools.len() - 1)
                }
                PoolRef::Named(name) => {
                    Some(pools.iter().position(|p| p.name == *name).ok_or_else(|| {
                        CompileError::UnknownPool { clause: clause.id().to_string(), pool: name.clone() }
                    })?)
                }
            };
            let (due, targets) = match spec.due {
                DueSpec::Revenue { stream, rule } => (Due::Revenue { stream, rule }, Vec::new()),
                DueSpec::Fixed(v) => (Due::Fixed(v), Vec::new()),
                DueSpec::TopUp { minimum, of } => (Due::TopUp { minimum, of: Vec::new() }, of),
                DueSpec::Milestone { amount, when } => (Due::Milestone { amount, when }, Vec::new()),
                DueSpec::Shortfall { commitment, of, period } => {
                    (Due::Shortfall { commitment, of: first_flow + of, period }, Vec::new())
                }
            };
            pending.push((targets, index));
            flows.push(Flow {
                clause: index,
                clause_id: clause.id().to_string(),
                kind: clause.kind_name(),
                payer: spec.payer,
                payee: spec.payee,
                category: spec.category,
                pool,
                due,
                force,
                days: context.days(),
                lag_days: spec.lag_days,
                inputs: spec.inputs,
            });
        }
    }
    resolve_top_ups(&mut flows, &pending)?;
    let flows = evaluation_order(flows);
    finish_pools(&mut pools, &flows, run);
    Ok(Plan { flows, pools, periods: run.periods.len() })
}

/// Each top-up's targets, by clause id, as the indices of those clauses' payment flows.
fn resolve_top_ups(
    flows: &mut [Flow<Decimal, ExactDue>],
    pending: &[(Vec<String>, usize)],
) -> Result<(), CompileError> {
    let ids: Vec<(String, bool)> =
        flows.iter().map(|f| (f.clause_id.clone(), f.category.is_payment())).collect();
    for (k, (targets, _)) in pending.iter().enumerate() {
        if targets.is_empty() {
            continue;
        }
        let mut of = Vec::new();
        for target in targets {
            let found: Vec<usize> = ids
                .iter()
                .enumerate()
                .filter(|(_, (id, paid))| id == target && *paid)
                .map(|(i, _)| i)
                .collect();
            if found.is_empty() {
                return Err(CompileError::UnknownTarget {
                    clause: flows[k].clause_id.clone(),
                    target: target.clone(),
                });
            }
            of.extend(found);
        }
        if let Due::TopUp { of: slot, .. } = &mut flows[k].due {
            *slot = of;
        }
    }
    Ok(())
}

/// Flows in the agreement's order, except that a top-up listed before a flow it tops up waits
/// until the last of them; references re-indexed to the new order.
fn evaluation_order<A, R>(flows: Vec<Flow<A, R>>) -> Vec<Flow<A, R>> {
    let n = flows.len();
    let targets = |k: usize| match &flows[k].due {
        Due::TopUp { of, .. } => of.clone(),
        _ => Vec::new(),
    };
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut waiting: Vec<usize> = Vec::new();
    for k in 0..n {
        waiting.push(k);
        // Place every waiting flow whose targets are all placed, in file order, until none is.
        while let Some(i) = waiting.iter().position(|w| targets(*w).iter().all(|t| order.contains(t))) {
            order.push(waiting.remove(i));
        }
    }
    order.extend(waiting);
    let mut new_index = vec![0; n];
    for (new, old) in order.iter().enumerate() {
        new_index[*old] = new;
    }
    let mut slots: Vec<Option<Flow<A, R>>> = flows.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|old| slots[*old].take())
        .map(|mut f| {
            match &mut f.due {
                Due::TopUp { of, .. } => of.iter_mut().for_each(|i| *i = new_index[*i]),
                Due::Shortfall { of, .. } => *of = new_index[*of],
                _ => {}
            }
            f
        })
        .collect()
}

/// Which pools hold a revenue share (the scenario's `cap` and prior payments apply to them) and
/// when each has started.
fn finish_pools(pools: &mut [Pool<Decimal>], flows: &[Flow<Decimal, ExactDue>], run: CompileContext) {
    for (p, pool) in pools.iter_mut().enumerate() {
        let members: Vec<&Flow<Decimal, ExactDue>> = flows.iter().filter(|f| f.pool == Some(p)).collect();
        pool.holds_share = members.iter().any(|f| f.category == Category::Share);
        pool.holds_share_to_microsoft = members.iter().any(|f| f.is_share_to_microsoft());
        if pool.holds_share && !run.prior_payments_toward_cap.is_zero() {
            pool.prior = run.prior_payments_toward_cap;
        }
        let mut started = false;
        for (t, slot) in pool.started.iter_mut().enumerate() {
            started |= members.iter().any(|f| f.days[t] > 0);
            *slot = started;
        }
    }
}
