import { describe, expect, it } from 'vitest';
import { documentsAsked, isHarmless, proposedAddresses } from './reply-details.ts';

describe('what a reply asks for beyond its intent', () => {
  it('tells the documents the agent can send from those only a person can provide', () => {
    expect(
      documentsAsked('Merci de nous transmettre un duplicata de la facture ainsi que votre RIB.'),
    ).toEqual(['bank_details', 'invoice_copy']);
    expect(documentsAsked('Can you send us a statement of account?')).toEqual(['statement']);
    expect(documentsAsked('Bitte laden Sie die Rechnung in unser Lieferantenportal hoch.')).toEqual([
      'portal',
    ]);
    expect(documentsAsked('La factura debe incluir nuestro número de pedido 77120.')).toEqual(['po_number']);
    expect(documentsAsked('Graag de getekende afleverbon.')).toEqual(['proof_of_delivery']);
  });

  it('takes a short thank-you as harmless, and a question as not', () => {
    expect(isHarmless('Merci, bien reçu.\n\nCordialement, Paul')).toBe(true);
    expect(isHarmless('Vielen Dank für die Info, schönes Wochenende!')).toBe(true);
    expect(isHarmless('Thanks. Could you tell me the due date?')).toBe(false);
    expect(isHarmless('Avez-vous encore des cartouches 4410 ?')).toBe(false);
  });

  it('finds the new address a wrong contact points to, leaving out its own and ours', () => {
    expect(
      proposedAddresses('I left; please write to AP@Client.example. Regards, old@client.example', [
        'old@client.example',
        'relances@atelier.fr',
      ]),
    ).toEqual(['ap@client.example']);
  });
});
