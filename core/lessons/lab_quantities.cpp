#include "core/lessons/lab_quantities.hpp"

#include <map>

#include "core/util/error.hpp"

namespace sglab::lessons {

namespace {

const std::map<std::string, std::vector<QuantityInfo>>& schemas() {
  static const std::map<std::string, std::vector<QuantityInfo>> table = {
      {"expert",
       {{"d", "input dimension"},
        {"k", "coordinates each expert sees"},
        {"n", "repeats per state"},
        {"m", "experts"},
        {"two_pow_d_minus_k", "2^(d−k): states an expert's table pools (Theorem 5's ratio)"},
        {"mse_bp", "Monte Carlo MSE of backprop"},
        {"mse_sg", "Monte Carlo MSE of the synthetic gradient"},
        {"mse_mix", "Monte Carlo MSE of the mixture at the scenario's λ"},
        {"ratio", "Monte Carlo MSE_BP / MSE_SG"},
        {"ratio_ci_low", "bootstrap 2.5 % point of the ratio"},
        {"ratio_ci_high", "bootstrap 97.5 % point of the ratio"},
        {"theory_mse_bp", "closed-form E[MSE_BP] (n/a with random sampling)"},
        {"theory_mse_sg", "closed-form E[MSE_SG], variance plus bias² (n/a with random sampling)"},
        {"theory_sg_bias2", "closed-form bias² of SG (0 without leak)"},
        {"theory_ratio", "closed-form E[MSE_BP] / E[MSE_SG]"},
        {"lambda_star", "closed-form best mixing weight λ*"},
        {"crossover_n", "n beyond which BP wins (∞ when SG never loses)"},
        {"lambda", "the scenario's mixing weight λ"},
        {"leak", "the scenario's leak ε"},
        {"samples", "states drawn: 2^d·n (every state) or N·n (random sampling)"},
        {"unseen_states", "expected fraction of states never drawn (random sampling; 0 otherwise)"},
        {"unseen_keys", "expected fraction of an expert's 2^k keys never drawn (random sampling; 0 otherwise)"}}},
      {"dag",
       {{"n", "the lab's sample size n (the scenario's view.dag.n, else 1)"},
        {"nodes", "non-input nodes"},
        {"sg_wins_count", "nodes where SG's MSE(n) is below BP's"},
        {"b_holds", "1 when condition B holds at every node, else 0"},
        {"a_holds", "1 when ECV^BP > 0 somewhere (condition A in effect), else 0"},
        {"max_bgap_rel", "largest Bgap / E[g²] over the nodes"},
        {"bgap_rel", "Bgap / E[g_i²]: how far condition B fails at the node", true},
        {"mse_bp", "BP's MSE at n (Lemma 1)", true},
        {"mse_sg", "SG's MSE at n (Lemma 1)", true},
        {"ratio", "MSE_BP / MSE_SG at n", true},
        {"ecv_bp", "BP's expected conditional variance", true},
        {"ecv_sg", "SG's expected conditional variance", true},
        {"vcm_bp", "BP's variance of the conditional mean", true},
        {"bias2_sg", "SG's squared bias", true},
        {"lambda_star", "λ*(n) by eq 18 (0 where irrelevant; n/a at terminals)", true},
        {"lambda_star_1", "λ*(1)", true},
        {"lambda_star_256", "λ*(256)", true},
        {"crossover_n", "n beyond which BP wins (∞ when SG never loses, 0 when it never wins)", true},
        {"sg_wins", "1 when SG's MSE(n) is below BP's at n, else 0", true}}},
      {"dynamics",
       {{"steps", "SGD steps run"},
        {"loss_bp", "BP's loss, mean over the last 10 % of recorded steps"},
        {"loss_sg_fixed", "SG (fixed λ) loss, mean over the last 10 %"},
        {"loss_sg_adaptive", "SG (adaptive λ) loss, mean over the last 10 %"},
        {"initial_loss", "the loss at the first recorded step (all runs start equal)"},
        {"diverged", "runs that diverged"},
        {"lambda", "adaptive λ after the last step", true},
        {"lambda_mean", "adaptive λ, mean over the second half of the run", true},
        {"lambda_star", "exact λ*(n = B), mean over the second half (n/a without exact_every)", true},
        {"tracking_error", "mean |λ − λ*| over the second half (n/a without exact_every)", true}}},
      {"bandit",
       {{"p_flip", "reward flip probability (the first sweep point)"},
        {"reward_bp", "BP's final eval reward (mean over seeds)"},
        {"reward_sg_fixed", "SG (fixed λ) final eval reward"},
        {"reward_sg_adaptive", "SG (adaptive λ) final eval reward"},
        {"reward_mlp", "dense MLP's final eval reward"},
        {"initial_reward", "eval reward at the first evaluation point, mean over runs"},
        {"lambda_sg_adaptive", "adaptive λ after the last step, mean over layers"},
        {"chance", "reward of a uniformly random policy (1 / actions)"}}},
  };
  return table;
}

}  // namespace

const std::vector<QuantityInfo>& lab_quantity_schema(const std::string& lab) {
  const auto it = schemas().find(lab);
  if (it == schemas().end()) throw Error("no quantities for lab '" + lab + "'");
  return it->second;
}

void check_quantity_name(const std::string& lab, const std::string& name) {
  const bool per_node = name.rfind("node:", 0) == 0;
  const std::string base = per_node ? name.substr(name.find('.') + 1) : name;
  std::string list;
  for (const QuantityInfo& q : lab_quantity_schema(lab)) {
    if (q.name == base && q.per_node == per_node) return;
    list += (list.empty() ? "" : ", ") + (q.per_node ? "node:<id>." + q.name : q.name);
  }
  throw Error("unknown quantity '" + name + "' of the " + lab + " lab (it publishes: " + list + ")");
}

QuantityValues compute_lab_quantities(const config::Scenario& scenario, int threads, const WorkControl* control) {
  if (scenario.lab == "expert") return expert_quantities(scenario, threads, control);
  if (scenario.lab == "dag") return dag_quantities(scenario, threads, control);
  if (scenario.lab == "dynamics") return dynamics_quantities(scenario, control);
  if (scenario.lab == "bandit") return bandit_quantities(scenario, threads, control);
  throw Error("no quantities for lab '" + scenario.lab + "'");
}

}  // namespace sglab::lessons
